import { createHmac } from 'node:crypto';
import { ErrorCode } from '../contract/errors.js';
import type { SittingInfo } from '../contract/proctor.js';
import type { Sitting } from '../domain/catalog.js';
import { fail } from '../domain/errors.js';
import type { Actor } from '../domain/examinee.js';
import type { AccountRow } from '../db/repositories/accounts.js';
import type { KacaStore } from '../services/store.js';
import { verifyPassword } from '../services/secrets.js';
import { safeEqual } from './candidate-login.js';
import type { Registry } from './registry.js';

// A real scrypt hash of nothing in particular: unknown usernames cost the same time as known ones.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export function actorOf(account: AccountRow): Actor {
  return { id: account.id, name: account.displayName, role: account.role };
}

/** Staff (admins and proctors): logins, sessions, and who may run which sitting. */
export class Staff {
  constructor(
    private readonly store: KacaStore,
    private readonly registry: Registry,
    private readonly now: () => number,
    private readonly info: (s: Sitting) => SittingInfo,
  ) {}

  private sign(id: number, issued: string, passwordHash: string): string {
    return createHmac('sha256', this.store.secret).update(`staff:${id}:${issued}:${passwordHash}`).digest('base64url').slice(0, 32);
  }

  async login(input: { username: string; password: string }): Promise<{ session: string; account: AccountRow }> {
    const account = this.store.repos.accounts.byUsername(input.username);
    const ok = await verifyPassword(input.password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || !ok || account.disabled) fail(ErrorCode.INVALID_CREDENTIALS, 'username or password is wrong');
    const issued = String(this.now());
    return { session: `s.${account.id}.${issued}.${this.sign(account.id, issued, account.passwordHash)}`, account };
  }

  /** Staff sessions end when the password changes or the account is disabled. */
  authenticate(session: unknown): AccountRow {
    if (typeof session !== 'string') fail(ErrorCode.UNAUTHORIZED, 'log in first');
    const [kind, id, issued, sig] = session.split('.');
    const account = kind === 's' && id ? this.store.repos.accounts.get(Number(id)) : undefined;
    if (!account || account.disabled || !sig || !issued || !safeEqual(sig, this.sign(account.id, issued, account.passwordHash))) fail(ErrorCode.UNAUTHORIZED, 'invalid or expired session: log in again');
    return account;
  }

  assertCanProctor(account: AccountRow, sittingId: string): Sitting {
    const s = this.registry.sitting(sittingId);
    if (account.role !== 'admin' && !this.store.repos.sittings.isProctorOf(sittingId, account.id)) fail(ErrorCode.FORBIDDEN, `you are not a proctor of sitting ${sittingId}`);
    return s;
  }

  sittingsFor(account: AccountRow): SittingInfo[] {
    const ids = account.role === 'admin' ? null : new Set(this.store.repos.sittings.sittingIdsOf(account.id));
    return this.registry
      .allSittings()
      .filter((s) => !ids || ids.has(s.id))
      .map(this.info);
  }
}
