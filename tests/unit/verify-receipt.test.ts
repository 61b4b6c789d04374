import { describe, expect, it } from 'vitest';
import { toBase64, utf8 } from '../../server/src/domain/verify/encoding.js';
import { leafHash } from '../../server/src/domain/verify/merkle.js';
import {
  buildReceiptText,
  parseReceiptText,
  receiptQrPayload,
  signReceipt,
  verifyReceipt,
  type ReceiptFields,
} from '../../server/src/domain/verify/receipt.js';
import { ed25519Signer, parseVerifierKey, formatVerifierKey, signNote } from '../../server/src/domain/verify/signed-note.js';
import { nodeEd25519Key, nodeEd25519Verify } from '../helpers/node-ed25519.js';

const root = leafHash(utf8('root'));
const fields: ReceiptFields = {
  origin: 'cat.bkn.example/2024/lokasi-017/sesi-3',
  sittingId: 'lokasi-017-sesi-3',
  registrationNumber: '24100017',
  paperHash: 'a'.repeat(64),
  answersHash: 'b'.repeat(64),
  scores: [
    ['TWK', 85],
    ['TIU', 95],
    ['TKP', 170],
  ],
  leafIndex: 1234,
  logSize: 1240,
  logRoot: root,
};
const TEXT = [
  'kaca-receipt/v1',
  'origin cat.bkn.example/2024/lokasi-017/sesi-3',
  'sitting lokasi-017-sesi-3',
  'reg 24100017',
  `paper ${'a'.repeat(64)}`,
  `answers ${'b'.repeat(64)}`,
  'scores TWK=85 TIU=95 TKP=170',
  'total 350',
  'leaf 1234',
  `log 1240 ${toBase64(root)}`,
  '',
].join('\n');

const key = nodeEd25519Key(new Uint8Array(32).fill(3));
const signer = ed25519Signer(fields.origin, key.publicKey, key.sign);
const vkey = parseVerifierKey(formatVerifierKey(fields.origin, key.publicKey));

describe('candidate receipts', () => {
  it('writes the documented ten lines', () => {
    expect(buildReceiptText(fields)).toBe(TEXT);
  });

  it('parses its own text back', () => {
    expect(parseReceiptText(TEXT)).toEqual({ ...fields, total: 350 });
    const fractional = { ...fields, scores: [['A', 12.5], ['B', -0.25]] as [string, number][] };
    expect(parseReceiptText(buildReceiptText(fractional)).scores).toEqual(fractional.scores);
  });

  it('signs through node:crypto and verifies with @noble and node:crypto', () => {
    const note = signReceipt(fields, signer);
    expect(verifyReceipt(note, vkey).total).toBe(350);
    expect(verifyReceipt(note, vkey, nodeEd25519Verify).registrationNumber).toBe('24100017');
  });

  it('fits a QR code with a long origin', () => {
    const note = signReceipt(fields, signer);
    expect(utf8(note).length).toBeLessThan(600);
    expect(receiptQrPayload(note)).toBe(note);
    expect(() => receiptQrPayload(`${'x'.repeat(600)}\n`)).toThrow('receipt note is 601 bytes, more than the 600 a QR code should carry');
  });

  it('rejects a receipt whose score was edited after signing', () => {
    const note = signReceipt(fields, signer).replace('TWK=85', 'TWK=90').replace('total 350', 'total 355');
    expect(() => verifyReceipt(note, vkey)).toThrow(`signature by ${fields.origin}+${vkey.keyId.toString(16).padStart(8, '0')} does not verify`);
  });

  it('rejects a signed note that is not a receipt', () => {
    expect(() => verifyReceipt(signNote('hello\n', [signer]), vkey)).toThrow('receipt must start with kaca-receipt/v1, got "hello"');
  });

  const edit = (from: string, to: string) => TEXT.replace(from, to);
  it.each([
    ['a missing line', edit('leaf 1234\n', ''), 'receipt has 9 lines, expected 10'],
    ['lines out of order', edit('sitting lokasi-017-sesi-3\nreg 24100017', 'reg 24100017\nsitting lokasi-017-sesi-3'), 'receipt line 3 must be "sitting <value>", got "reg 24100017"'],
    ['two spaces', edit('reg 24100017', 'reg  24100017'), 'registration number " 24100017" is invalid'],
    ['a wrong total', edit('total 350', 'total 351'), 'total 351 is not the sum of the scores (350)'],
    ['a padded number', edit('TIU=95', 'TIU=095'), 'score of TIU "095" is not a number in its canonical spelling'],
    ['a trailing zero', edit('TIU=95', 'TIU=95.0'), 'score of TIU "95.0" is not a number in its canonical spelling'],
    ['a section twice', edit('TKP=170', 'TWK=170'), 'section TWK is listed twice'],
    ['a score without =', edit('TKP=170', 'TKP170'), 'score "TKP170" is not <section>=<points>'],
    ['uppercase hex', edit(`paper ${'a'.repeat(64)}`, `paper ${'A'.repeat(64)}`), 'paper hash must be 64 lowercase hex digits'],
    ['a log before the leaf', edit('log 1240', 'log 1234'), 'log size 1234 must be larger than the leaf index 1234'],
    ['a short root', edit(toBase64(root), toBase64(root.subarray(2))), 'log root must be 32 bytes'],
    ['no final newline', TEXT.slice(0, -1), 'receipt text does not end with a newline'],
  ])('rejects a receipt text with %s', (_, text, message) => {
    expect(() => parseReceiptText(text)).toThrow(message);
  });
});
