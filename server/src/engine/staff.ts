import { createHash } from 'node:crypto';
import { ErrorCode } from '../contract/errors.js';
import type { SittingInfo } from '../contract/proctor.js';
import type { Sitting } from '../domain/catalog.js';
import { fail } from '../domain/errors.js';
import type { Actor } from '../domain/examinee.js';
import { assertStaffNotLocked, staffLoginResult, staffSessionEnd } from '../domain/staff-login.js';
import type { AccountRow } from '../db/repositories/accounts.js';
import type { KacaStore } from '../services/store.js';
import { randomId, verifyPassword } from '../services/secrets.js';
import type { Notifier } from './notifier.js';
import type { Registry } from './registry.js';

// A real scrypt hash of nothing in particular: unknown usernames cost the same time as known ones.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
/** last-seen times reach the database at most this often per session */
const SEEN_WRITE_MS = 60_000;

export function actorOf(account: AccountRow): Actor {
  return { id: account.id, name: account.displayName, role: account.role };
}

interface Live {
  accountId: number;
  createdAt: number;
  lastSeenAt: number;
  storedSeenAt: number;
  endedAt: number | null;
  /** proctor console connections on this session */
  sockets: number;
  /**
   * The password hash the session was made under. A session whose account has another one now
   * has ended, however the password changed: through this server, by `kaca` beside it, or while
   * this very login was being checked.
   */
  passwordHash: string;
}

const idOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Staff (admins and proctors): logins with lockout, server-side sessions that end on logout,
 * idle time, age, a disabled account or a new password (live connections are cut at once), and
 * who may run which sitting.
 */
export class Staff {
  private readonly sessions = new Map<string, Live>();
  private sweepTimer: NodeJS.Timeout | null = null;
  /**
   * Several nodes (cluster/): sessions are made on any node, so a token not in memory sends this
   * node to read the open sessions again (at most once a second: guessing tokens still costs no
   * more reads than that), and a session ended here is told to the other nodes.
   */
  shared: { ended(ids: string[], endedAt: number): void } | null = null;
  private readAt = 0;

  constructor(
    private readonly store: KacaStore,
    private readonly registry: Registry,
    private readonly now: () => number,
    private readonly info: (s: Sitting) => SittingInfo,
    private readonly getNotifier: () => Notifier,
    private readonly limits: { idleMs: number; absoluteMs: number },
  ) {}

  async login(input: { username: string; password: string }): Promise<{ session: string; account: AccountRow }> {
    const account = this.store.repos.accounts.byUsername(input.username);
    if (account) assertStaffNotLocked(account, this.now());
    const ok = await verifyPassword(input.password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || account.disabled) fail(ErrorCode.INVALID_CREDENTIALS, 'username or password is wrong');
    const now = this.now();
    const state = staffLoginResult(account, ok, now);
    const changed = state.failedLogins !== account.failedLogins || state.lockedUntil !== account.lockedUntil;
    if (!ok) {
      if (changed) await this.store.writer.submit([{ kind: 'account-login', id: account.id, ...state }]);
      fail(ErrorCode.INVALID_CREDENTIALS, 'username or password is wrong');
    }
    const token = randomId(24);
    const id = idOf(token);
    await this.store.writer.submit([...(changed ? [{ kind: 'account-login' as const, id: account.id, ...state }] : []), { kind: 'staff-session', row: { id, accountId: account.id, createdAt: now, lastSeenAt: now } }]);
    this.sessions.set(id, { accountId: account.id, createdAt: now, lastSeenAt: now, storedSeenAt: now, endedAt: null, sockets: 0, passwordHash: account.passwordHash });
    return { session: token, account };
  }

  private loaded = false;

  /**
   * A session of this server. The open ones are read once, at the first staff request after a
   * start; every later session is made here (one server per database: docs/deploy.md). So a
   * token that is not in memory is no session at all, and guessing tokens costs a hash, never a
   * read of the database.
   */
  private live(id: string, vouched = false): Live | undefined {
    this.loadOnce();
    if (this.shared && !this.sessions.has(id) && (vouched || this.now() - this.readAt >= 1_000)) {
      this.loaded = false;
      this.loadOnce();
    }
    return this.sessions.get(id);
  }

  /** Sessions another node ended: ended here too (their connections on this node were cut by that node). */
  endedElsewhere(ids: string[], endedAt: number): void {
    for (const id of ids) {
      const s = this.sessions.get(id);
      if (s && s.endedAt === null) s.endedAt = endedAt;
    }
  }

  private loadOnce(): void {
    if (!this.loaded) {
      this.readAt = this.now();
      const hashes = new Map<number, string>();
      for (const row of this.store.repos.staffSessions.open()) {
        if (this.sessions.has(row.id)) continue;
        if (!hashes.has(row.accountId)) hashes.set(row.accountId, this.store.repos.accounts.get(row.accountId)?.passwordHash ?? '');
        const passwordHash = hashes.get(row.accountId)!;
        this.sessions.set(row.id, { accountId: row.accountId, createdAt: row.createdAt, lastSeenAt: row.lastSeenAt, storedSeenAt: row.lastSeenAt, endedAt: row.endedAt, sockets: 0, passwordHash });
      }
      this.loaded = true;
    }
  }

  /** The account behind a bearer session, and the session's id; a request counts as activity. */
  authenticate(token: unknown): { account: AccountRow; sessionId: string } {
    if (typeof token !== 'string' || token.length > 200) fail(ErrorCode.UNAUTHORIZED, 'log in first');
    const sessionId = idOf(token);
    return { account: this.check(sessionId), sessionId };
  }

  /**
   * The session's account while the session holds (checked again on every console event).
   * `vouched`: another node of this deployment checked it just now (several nodes), so a session
   * not in memory yet is read at once rather than at most once a second.
   */
  check(id: string, vouched = false): AccountRow {
    const s = this.live(id, vouched);
    const account = s ? this.store.repos.accounts.get(s.accountId) : undefined;
    const now = this.now();
    if (!s || !account || account.disabled) fail(ErrorCode.UNAUTHORIZED, 'invalid or expired session: log in again');
    if (s.endedAt === null && account.passwordHash !== s.passwordHash) {
      this.end([id], 'password').catch(() => undefined);
      fail(ErrorCode.UNAUTHORIZED, 'the password of this account was changed: log in again');
    }
    const ended = staffSessionEnd(s, s.sockets > 0, now, this.limits);
    if (ended) {
      if (ended === 'expired') this.end([id], 'expired').catch(() => undefined);
      fail(ErrorCode.UNAUTHORIZED, 'your session has ended: log in again');
    }
    s.lastSeenAt = now;
    if (now - s.storedSeenAt >= SEEN_WRITE_MS) {
      s.storedSeenAt = now;
      // best effort: a lost last-seen time only shortens a session
      this.store.writer.submit([{ kind: 'staff-session-seen', id, lastSeenAt: now }]).catch(() => undefined);
    }
    return account;
  }

  /** A console connection opened or closed on a session: while one is open, the session is not idle. */
  connected(sessionId: string, delta: 1 | -1): void {
    const s = this.sessions.get(sessionId);
    if (!s) return;
    s.sockets = Math.max(0, s.sockets + delta);
    s.lastSeenAt = this.now();
  }

  /** Ends sessions on the server and cuts their live connections. */
  async end(ids: string[], reason: 'logout' | 'disabled' | 'password' | 'expired'): Promise<void> {
    const open = ids.filter((id) => this.live(id)?.endedAt === null);
    if (open.length === 0) return;
    const now = this.now();
    // refused in memory at once; the connections are cut once it is stored (a reply already on its
    // way, such as the UNAUTHORIZED that found the session expired, goes out first)
    for (const id of open) this.sessions.get(id)!.endedAt = now;
    this.shared?.ended(open, now);
    try {
      await this.store.writer.submit([{ kind: 'staff-sessions-end', ids: open, endedAt: now, endReason: reason }]);
    } finally {
      this.getNotifier().staffSessionsEnded(open, reason);
    }
  }

  logout(sessionId: string): Promise<void> {
    return this.end([sessionId], 'logout');
  }

  /** A disabled account or a changed password ends every session of the account at once. */
  accountChanged(accountId: number, reason: 'disabled' | 'password'): Promise<void> {
    this.loadOnce();
    return this.end(
      [...this.sessions].filter(([, s]) => s.accountId === accountId && s.endedAt === null).map(([id]) => id),
      reason,
    );
  }

  /** Every minute: sessions whose time is up end, connected or not. */
  startSweep(everyMs = 60_000): void {
    this.sweepTimer = setInterval(() => {
      const now = this.now();
      // sessions ended an hour ago are forgotten: a token of one is then simply no session
      for (const [id, s] of this.sessions) if (s.endedAt !== null && now - s.endedAt > 3_600_000 && s.sockets === 0) this.sessions.delete(id);
      if (this.shared) this.shareActivity(now);
      const due = [...this.sessions].filter(([, s]) => s.endedAt === null && staffSessionEnd(s, s.sockets > 0, now, this.limits) === 'expired').map(([id]) => id);
      if (due.length > 0) this.end(due, 'expired').catch(() => undefined);
    }, everyMs);
    this.sweepTimer.unref();
  }

  /**
   * Several nodes: a console connected here keeps its session alive on every node, through its
   * stored last-seen time; and before this node ends a session as idle, it reads those times
   * again (the console may be on another node).
   */
  private shareActivity(now: number): void {
    for (const [id, s] of this.sessions) {
      if (s.endedAt !== null || s.sockets === 0 || now - s.storedSeenAt < SEEN_WRITE_MS) continue;
      s.storedSeenAt = now;
      this.store.writer.submit([{ kind: 'staff-session-seen', id, lastSeenAt: now }]).catch(() => undefined);
    }
    if (![...this.sessions.values()].some((s) => s.endedAt === null && staffSessionEnd(s, s.sockets > 0, now, this.limits) === 'expired')) return;
    for (const row of this.store.repos.staffSessions.open()) {
      const s = this.sessions.get(row.id);
      if (s && row.lastSeenAt > s.lastSeenAt) s.lastSeenAt = row.lastSeenAt;
    }
  }

  stopSweep(): void {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
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
