import { describe, expect, it } from 'vitest';
import { Encoder as StockEncoder, Decoder, PacketType, type Packet } from 'socket.io-parser';
import { asciiJson, jsonParser } from '../../server/src/realtime/json-parser.js';
import { RawJson } from '../../server/src/domain/raw-json.js';

const stock = new StockEncoder();
const ours = new jsonParser.Encoder();

function decode(text: string): Packet {
  const d = new Decoder();
  let out: Packet | null = null;
  d.on('decoded', (p: Packet) => (out = p));
  d.add(text);
  return out!;
}

describe('the socket encoder', () => {
  const packets: Packet[] = [
    { type: PacketType.CONNECT, nsp: '/candidate', data: { sid: 'abc' } },
    { type: PacketType.EVENT, nsp: '/scoreboard', data: ['scoreboard:updated', { sittingId: 's1', rows: [[1, 5, 0, 3, 2, 1]] }] },
    { type: PacketType.ACK, nsp: '/candidate', id: 12, data: [{ ok: false, error: { code: 'TIME_UP', message: 'time is up: "quoted", \\ and \u2028' } }] },
    { type: PacketType.EVENT, nsp: '/', data: ['x', null, 0, ''] },
    { type: PacketType.DISCONNECT, nsp: '/proctor' },
  ];

  it('writes exactly what the stock encoder writes for plain JSON', () => {
    for (const p of packets) expect(ours.encode(p)).toEqual(stock.encode(p));
  });

  it('splices RawJson text in place, and the stock decoder reads the same value', () => {
    const items = [{ n: 0, section: 'TWK', stem: '<p>Sila ke-1 "Pancasila"</p>', options: ['A', 'B\n', 'C'] }];
    const raw = new RawJson(JSON.stringify(items));
    const packet: Packet = { type: PacketType.ACK, nsp: '/candidate', id: 3, data: [{ ok: true, data: { items: raw, answers: [null, 2], more: new RawJson('{"a":[1,2]}') } }] };
    const [text] = ours.encode(packet);
    expect(text).toContain(JSON.stringify(items));
    expect(decode(text).data).toEqual([{ ok: true, data: { items, answers: [null, 2], more: { a: [1, 2] } } }]);
  });

  it('outside the encoder a RawJson serializes as the value it holds', () => {
    expect(JSON.stringify({ x: new RawJson('[1,{"b":"c"}]') })).toBe('{"x":[1,{"b":"c"}]}');
  });
});

describe('ASCII JSON for texts sent to many', () => {
  it('writes every character beyond ASCII as its escape, and parses back to the same value', () => {
    const value = { checkpoint: 'kaca.test/sit1\n42\nabc=\n\n\u2014 kaca.test/sit1 sig\n', name: 'AYU D*** É***', emoji: 'ok \u{1F600}', nul: 'a\u0000b', quote: '"\\', latin: '\u00a0\u00ff' };
    const text = asciiJson(JSON.stringify(value));
    expect(text).toMatch(/^[\u0000-\u007f]*$/);
    expect(text).toContain('\\u2014');
    expect(JSON.parse(text)).toEqual(value);
    // ASCII already: the same text, not a copy of it
    const plain = JSON.stringify({ a: 'b' });
    expect(asciiJson(plain)).toBe(plain);
  });
});
