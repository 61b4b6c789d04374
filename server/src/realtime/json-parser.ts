import { createRequire } from 'node:module';
import type { Packet } from 'socket.io-parser';
import { RawJson } from '../services/raw-json.js';

// The CommonJS build, the one socket.io itself loads: an ESM import here resolves to the
// package's debug build under Node.
const { Decoder, PacketType, protocol } = createRequire(import.meta.url)('socket.io-parser') as typeof import('socket.io-parser');

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
    if (packet.data != null) text += RawJson.stringify(packet.data);
    return [text];
  }
}

export const jsonParser = { protocol, PacketType, Encoder, Decoder };
