import { createRequire } from 'node:module';
import type { Packet } from 'socket.io-parser';
import { randomBytes } from 'node:crypto';
import { RawJson } from '../domain/raw-json.js';

// The CommonJS build, the one socket.io itself loads: an ESM import here resolves to the
// package's debug build under Node.
const { Decoder, PacketType, protocol } = createRequire(import.meta.url)('socket.io-parser') as typeof import('socket.io-parser');

// A marker no content can contain by chance: a NUL-delimited random token per process.
const MARK = `\u0000kaca-raw-${randomBytes(8).toString('hex')}\u0000`;
const QUOTED_MARK = JSON.stringify(MARK);

// One capture for every packet (encoding is synchronous, so it is never used by two at once).
let fragments: string[] = [];
const capture = (json: string): string => {
  fragments.push(json);
  return MARK;
};

/** JSON.stringify that splices every RawJson's text in place (see domain/raw-json.ts). */
export function stringifyWithRaw(value: unknown): string {
  const outer = RawJson.capture;
  const held = fragments;
  fragments = [];
  RawJson.capture = capture;
  try {
    const text = JSON.stringify(value);
    if (fragments.length === 0) return text;
    const parts = text.split(QUOTED_MARK);
    let out = parts[0];
    for (let i = 1; i < parts.length; i++) out += fragments[i - 1] + parts[i];
    return out;
  } finally {
    RawJson.capture = outer;
    fragments = held;
  }
}

/**
 * socket.io's own wire format, with two differences on the way out: no walk through every
 * payload looking for binary data (Kaca's contract is JSON only: no namespace sends binary),
 * and RawJson values are spliced in as they are. The text on the wire is what the stock
 * encoder writes, so browsers and socket.io-client keep the stock parser; decoding incoming
 * packets is the stock decoder's job here too.
 */
class Encoder {
  encode(packet: Packet): string[] {
    let text = String(packet.type);
    if (packet.nsp && packet.nsp !== '/') text += packet.nsp + ',';
    if (packet.id != null) text += packet.id;
    if (packet.data != null) text += stringifyWithRaw(packet.data);
    return [text];
  }
}

const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * JSON text in ASCII alone, every other character written as its \u escape, the same JSON to any
 * parser. For large texts sent to many: a single character beyond Latin-1 (the em dash of a signed
 * checkpoint) makes V8 keep the whole text two bytes a character, and every socket that sends it
 * then measures and copies twice the memory (a 2,000-row board: 5.5 ms a viewer against 2.5).
 */
export function asciiJson(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  const escaped = text.replace(/[^\u0000-\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // copied through Latin-1 so that V8 stores the result one byte a character
  return Buffer.from(escaped, 'latin1').toString('latin1');
}

export const jsonParser = { protocol, PacketType, Encoder, Decoder };
