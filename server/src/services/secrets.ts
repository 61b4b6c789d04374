import { createHmac, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1 };

/** Account passwords: scrypt, so a stolen database does not give them away. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

/**
 * Candidate PINs: six digits handed out per sitting. Any hash of a six-digit PIN falls to an
 * offline search, so a slow hash buys nothing and would stall the synchronised login of a
 * whole hall. The protections are the lockout after failed logins and a pepper kept outside
 * the database (DATA_DIR/secret).
 */
export function hashPin(pin: string, pepper: string): string {
  const salt = randomBytes(12).toString('base64');
  return `hmac$${salt}$${createHmac('sha256', pepper).update(`${salt}:${pin}`).digest('base64')}`;
}

export function verifyPin(pin: string, stored: string, pepper: string): boolean {
  const [kind, salt, hash] = stored.split('$');
  if (kind !== 'hmac' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = createHmac('sha256', pepper).update(`${salt}:${pin}`).digest();
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function generatePin(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

export function randomId(bytes = 12): string {
  return randomBytes(bytes).toString('base64url');
}

const RECEIPT_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** A receipt id that the server can re-derive from the result it certifies. */
export function receiptId(secret: string, payload: string): string {
  const mac = createHmac('sha256', secret).update(payload).digest();
  let out = '';
  for (let i = 0; i < 12; i++) out += RECEIPT_ALPHABET[mac[i] % RECEIPT_ALPHABET.length];
  return `KCA-${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}`;
}
