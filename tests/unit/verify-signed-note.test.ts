import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from '../../server/src/domain/verify/encoding.js';
import { emptyRoot, leafHash } from '../../server/src/domain/verify/merkle.js';
import {
  ed25519KeyId,
  ed25519Signer,
  formatCheckpoint,
  formatVerifierKey,
  nobleEd25519Verify,
  openCheckpoint,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  signNote,
  verifyNote,
} from '../../server/src/domain/verify/signed-note.js';
import { nodeEd25519Key, nodeEd25519Verify } from '../helpers/node-ed25519.js';

// The example of golang.org/x/mod/sumdb/note (note.go and note_test.go): its signer key, verifier
// key, text and the exact signed note Go produces. Ed25519 is deterministic, so signing the same
// text with the same key through node:crypto must give the same bytes.
const GO_SKEY_SEED = fromBase64('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz').subarray(1);
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE = `${GO_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

const peter = nodeEd25519Key(GO_SKEY_SEED);
const peterSigner = ed25519Signer('PeterNeumann', peter.publicKey, peter.sign);
const other = nodeEd25519Key(new Uint8Array(32).fill(9));
const otherSigner = ed25519Signer('example.com/other', other.publicKey, other.sign);

describe('signed notes (C2SP signed-note, Go sumdb/note interop)', () => {
  it('reads and writes Go verifier keys', () => {
    const key = parseVerifierKey(GO_VKEY);
    expect(key.name).toBe('PeterNeumann');
    expect(key.keyId).toBe(0xc74f20a3);
    expect(key.publicKey).toEqual(peter.publicKey);
    expect(ed25519KeyId('PeterNeumann', peter.publicKey)).toBe(0xc74f20a3);
    expect(formatVerifierKey('PeterNeumann', peter.publicKey)).toBe(GO_VKEY);
  });

  it("signs with node:crypto exactly as Go's note.Sign does", () => {
    expect(signNote(GO_TEXT, [peterSigner])).toBe(GO_NOTE);
  });

  it('verifies the Go note with @noble/curves and with node:crypto', () => {
    const key = parseVerifierKey(GO_VKEY);
    for (const verify of [nobleEd25519Verify, nodeEd25519Verify]) {
      const opened = verifyNote(GO_NOTE, key, verify);
      expect(opened.text).toBe(GO_TEXT);
      expect(opened.verified.map((s) => s.name)).toEqual(['PeterNeumann']);
    }
    expect(verifyNote(new TextEncoder().encode(GO_NOTE), key).text).toBe(GO_TEXT);
  });

  it('parses text with blank lines: the last blank line separates the signatures', () => {
    const text = 'line one\n\nline three\n';
    const note = signNote(text, [peterSigner, otherSigner]);
    const parsed = parseNote(note);
    expect(parsed.text).toBe(text);
    expect(parsed.signatures.map((s) => [s.name, s.keyId, s.signature.length])).toEqual([
      ['PeterNeumann', 0xc74f20a3, 64],
      ['example.com/other', ed25519KeyId('example.com/other', other.publicKey), 64],
    ]);
  });

  it('ignores unknown keys, and needs one known key', () => {
    const key = parseVerifierKey(GO_VKEY);
    const both = signNote(GO_TEXT, [otherSigner, peterSigner]);
    expect(verifyNote(both, key).verified).toHaveLength(1);
    const onlyOther = signNote(GO_TEXT, [otherSigner]);
    const otherId = ed25519KeyId('example.com/other', other.publicKey).toString(16).padStart(8, '0');
    expect(() => verifyNote(onlyOther, key)).toThrow(`note is not signed by PeterNeumann+c74f20a3 (signed by example.com/other+${otherId})`);
    // same name, different key: unknown, so ignored
    const impostor = ed25519Signer('PeterNeumann', other.publicKey, other.sign);
    expect(() => verifyNote(signNote(GO_TEXT, [impostor]), key)).toThrow(/^note is not signed by PeterNeumann\+c74f20a3/);
  });

  it('rejects a note whose text or signature changed', () => {
    const key = parseVerifierKey(GO_VKEY);
    expect(() => verifyNote(GO_NOTE.replace('cryptography', 'cryptographY'), key)).toThrow('signature by PeterNeumann+c74f20a3 does not verify');
    const sig = GO_NOTE.slice(GO_NOTE.lastIndexOf(' ') + 1, -1);
    const raw = fromBase64(sig);
    raw[10] ^= 1;
    expect(() => verifyNote(GO_NOTE.replace(sig, toBase64(raw)), key)).toThrow('signature by PeterNeumann+c74f20a3 does not verify');
    raw[10] ^= 1;
    expect(() => verifyNote(GO_NOTE.replace(sig, toBase64(raw.subarray(0, 40))), key)).toThrow('signature by PeterNeumann+c74f20a3 has 36 bytes, Ed25519 needs 64');
  });

  it.each([
    ['no blank line', 'text\n\u2014 PeterNeumann AAAAAAA=\n', 'note has no blank line before its signatures'],
    ['no signatures', 'text\n\n', 'note has no signature lines'],
    ['no final newline', `${GO_NOTE.slice(0, -1)}`, 'note does not end with a newline'],
    ['a hyphen for the dash', GO_NOTE.replace('\u2014', '--'), 'signature line 1 does not start with an em dash (U+2014) and a space'],
    ['no space after the name', 'text\n\n\u2014 PeterNeumann\n', 'signature line 1 has no space between the key name and the signature'],
    ['a plus in the name', 'text\n\n\u2014 Peter+Neumann AAAAAAA=\n', 'signature line 1: key name "Peter+Neumann" is invalid'],
    ['a non-breaking space in the name', 'text\n\n\u2014 Peter\u00a0N AAAAAAA=\n', 'signature line 1: key name "Peter\u00a0N" is invalid'],
    ['bad base64', 'text\n\n\u2014 PeterNeumann AAA*AAA=\n', 'signature line 1: signature: invalid character "*" at 3'],
    ['unpadded base64', 'text\n\n\u2014 PeterNeumann AAAAAAA\n', 'signature line 1: signature: length 7 is not a multiple of 4'],
    ['non-canonical base64', 'text\n\n\u2014 PeterNeumann AAAAAAB=\n', 'signature line 1: signature: non-canonical encoding (unused bits are set)'],
    ['a key id only', 'text\n\n\u2014 PeterNeumann AAAAAA==\n', 'signature line 1: signature has 4 bytes, fewer than a 4-byte key id and a signature'],
    ['a tab', `te\txt\n${GO_NOTE.slice(GO_TEXT.length)}`, 'note contains control character U+0009 at offset 2'],
    ['a carriage return', GO_NOTE.replace('\n\n', '\r\n\n'), `note contains control character U+000D at offset ${GO_TEXT.length - 1}`],
    ['101 signatures', `text\n\n${'\u2014 PeterNeumann AAAAAAA=\n'.repeat(101)}`, 'note has 101 signatures, more than the 100 accepted'],
  ])('rejects a note with %s', (_, note, message) => {
    expect(() => parseNote(note)).toThrow(message);
  });

  it('rejects invalid UTF-8 and lone surrogates', () => {
    expect(() => parseNote(new Uint8Array([0x61, 0xff, 0x0a, 0x0a]))).toThrow('note is not valid UTF-8');
    expect(() => parseNote('a\ud800\n\n\u2014 x AAAAAAA=\n')).toThrow('note is not valid Unicode (lone surrogate)');
  });

  it.each([
    ['PeterNeumann+c74f20a3', 'verifier key must be <name>+<key id>+<key>'],
    ['PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'verifier key id "C74F20A3" is not 8 lowercase hex digits'],
    ['PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'verifier key id c74f20a4 does not match its name and key (expected c74f20a3)'],
    ['PeterNeumann+c74f20a3+Ahpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'verifier key type 2 is not supported (only 1, Ed25519)'],
    [`PeterNeumann+c74f20a3+${toBase64(new Uint8Array([1, ...peter.publicKey.subarray(0, 30)]))}`, 'verifier key has 30 key bytes, Ed25519 needs 32'],
    ['PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10', 'verifier key: length 42 is not a multiple of 4'],
    [`x+00000000+${toBase64(new Uint8Array([1, 1, ...new Uint8Array(31)]))}`, 'the Ed25519 public key is a small-order point'],
  ])('rejects the verifier key %s', (vkey, message) => {
    expect(() => parseVerifierKey(vkey)).toThrow(message);
  });

  it("reads a verifier key whose base64 holds '+' (only the first two '+' separate, as in Go)", () => {
    const seeds = Array.from({ length: 64 }, (_, i) => new Uint8Array(32).fill(i));
    const key = seeds.map((seed) => nodeEd25519Key(seed)).find((k) => toBase64(new Uint8Array([1, ...k.publicKey])).includes('+'))!;
    const vkey = formatVerifierKey('kaca.example', key.publicKey);
    expect(vkey.split('+').length).toBeGreaterThan(3);
    expect(parseVerifierKey(vkey)).toMatchObject({ name: 'kaca.example', publicKey: key.publicKey });
  });

  it('refuses to sign text that is not a note text', () => {
    expect(() => signNote('no newline', [peterSigner])).toThrow('note text must be non-empty and end with a newline');
    expect(() => signNote('bell\u0007\n', [peterSigner])).toThrow('note text contains control character U+0007 at offset 4');
    expect(() => ed25519Signer('two words', peter.publicKey, peter.sign)).toThrow('key name "two words" is invalid');
  });
});

describe('checkpoints (C2SP tlog-checkpoint)', () => {
  const root = leafHash(new Uint8Array([1, 2, 3]));

  it('reads the C2SP example body', () => {
    const cp = parseCheckpoint('example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n');
    expect(cp.origin).toBe('example.com/behind-the-sofa');
    expect(cp.size).toBe(20852163);
    expect(toBase64(cp.root)).toBe('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
    expect(cp.extensions).toEqual([]);
  });

  it('round-trips with extension lines and an empty tree', () => {
    const text = formatCheckpoint({ origin: 'kaca.test/s1', size: 12, root, extensions: ['sitting s1', 'closed'] });
    expect(text).toBe(`kaca.test/s1\n12\n${toBase64(root)}\nsitting s1\nclosed\n`);
    expect(parseCheckpoint(text)).toEqual({ origin: 'kaca.test/s1', size: 12, root, extensions: ['sitting s1', 'closed'] });
    expect(parseCheckpoint(formatCheckpoint({ origin: 'o', size: 0, root: emptyRoot(), extensions: [] })).size).toBe(0);
  });

  it.each([
    ['o\n12\n', 'checkpoint has 2 lines, at least 3 needed (origin, size, root)'],
    ['o\n12\nAAAA', 'checkpoint does not end with a newline'],
    [`o\n012\n${toBase64(root)}\n`, 'checkpoint size "012" is not a decimal number without leading zeros'],
    [`o\n-1\n${toBase64(root)}\n`, 'checkpoint size "-1" is not a decimal number without leading zeros'],
    [`o\n1\n${toBase64(root)}\n\nx\n`, 'checkpoint line 4 is empty'],
    [`o\n1\n${toBase64(root.subarray(1))}\n`, 'checkpoint root has 31 bytes, not 32'],
  ])('rejects the body %j', (text, message) => {
    expect(() => parseCheckpoint(text)).toThrow(message);
  });

  it('opens a checkpoint signed through node:crypto, checking key and origin', () => {
    const note = signNote(formatCheckpoint({ origin: 'kaca.test/s1', size: 3, root, extensions: [] }), [peterSigner]);
    const key = parseVerifierKey(GO_VKEY);
    expect(openCheckpoint(note, key, 'kaca.test/s1').size).toBe(3);
    expect(openCheckpoint(note, key, 'kaca.test/s1', nodeEd25519Verify).root).toEqual(root);
    expect(() => openCheckpoint(note, key, 'kaca.test/s2')).toThrow('checkpoint origin "kaca.test/s1" is not the log\'s "kaca.test/s2"');
  });
});
