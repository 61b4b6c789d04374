import { createHmac } from 'node:crypto';

// No 0/O, 1/I/L: the token is read aloud and typed by candidates.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export interface TokenPolicy {
  secret: string;
  intervalMs: number;
  /** how long the previous token is still accepted after a rotation */
  graceMs: number;
}

export function tokenForWindow(secret: string, window: number, length = 6): string {
  const mac = createHmac('sha256', secret).update(String(window)).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[mac[i] % ALPHABET.length];
  return out;
}

export function currentToken(policy: TokenPolicy, now: number): { token: string; rotatesAt: number } {
  const window = Math.floor(now / policy.intervalMs);
  return { token: tokenForWindow(policy.secret, window), rotatesAt: (window + 1) * policy.intervalMs };
}

export function isTokenValid(policy: TokenPolicy, given: string, now: number): boolean {
  // as read off the proctor's screen, which spaces the letters out: case and spaces do not count
  const normalized = given.replace(/\s+/g, '').toUpperCase();
  const window = Math.floor(now / policy.intervalMs);
  if (normalized === tokenForWindow(policy.secret, window)) return true;
  const sinceRotation = now - window * policy.intervalMs;
  return sinceRotation < policy.graceMs && normalized === tokenForWindow(policy.secret, window - 1);
}
