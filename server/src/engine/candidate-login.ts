import { createHmac, timingSafeEqual } from 'node:crypto';
import { CandidateLoginSchema, type CandidateLoginResult } from '../contract/candidate.js';
import { ErrorCode } from '../contract/errors.js';
import { fail } from '../domain/errors.js';
import { decideLogin, loginTarget, type TokenCheck } from '../domain/login.js';
import { parse } from '../domain/payload.js';
import { isTokenValid } from '../domain/token.js';
import { verifyPin } from '../services/secrets.js';
import type { Registry } from './registry.js';
import type { CandidateRunner } from './runner.js';
import { tokenPolicy } from './tokens.js';

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Candidate logins over HTTP and the sessions they give for /candidate. */
export class CandidateLogin {
  constructor(
    private readonly registry: Registry,
    private readonly runner: CandidateRunner,
    private readonly secret: string,
    private readonly config: { lockAfterFailedLogins: number; tokenGraceMinutes: number },
    private readonly now: () => number,
  ) {}

  /** each candidate's latest session signature: a hall's sockets connect right after logging in */
  private readonly signed = new Map<number, { generation: number; sig: string }>();

  private sign(candidateId: number, generation: number): string {
    const held = this.signed.get(candidateId);
    if (held?.generation === generation) return held.sig;
    const sig = createHmac('sha256', this.secret).update(`cand:${candidateId}:${generation}`).digest('base64url').slice(0, 32);
    // only a generation that exists is kept: a forged session's numbers must not fill memory
    if (this.registry.has(candidateId) && this.registry.examinee(candidateId).login.loginGeneration === generation) this.signed.set(candidateId, { generation, sig });
    return sig;
  }

  /** The sitting a login is for, changing nothing (with several nodes, the node that runs it decides the login). */
  sittingOf(input: unknown): string {
    const { registrationNumber, sittingId } = parse(CandidateLoginSchema, input, 'login', 'body');
    return loginTarget(this.registry.registrations(registrationNumber), (c) => this.registry.sitting(c.sittingId), sittingId).sittingId;
  }

  /** Registration number + PIN (+ the sitting token): the rules are domain/login.ts. */
  async login(input: unknown): Promise<CandidateLoginResult> {
    const { registrationNumber, pin, token, sittingId } = parse(CandidateLoginSchema, input, 'login', 'body');
    const row = loginTarget(this.registry.registrations(registrationNumber), (c) => this.registry.sitting(c.sittingId), sittingId);
    const s = this.registry.sitting(row.sittingId);
    const e = this.registry.examinee(row.id);
    const check: TokenCheck = !s.requireToken ? 'not-required' : !token ? 'missing' : isTokenValid(tokenPolicy(s, this.config.tokenGraceMinutes), token, this.now()) ? 'ok' : 'invalid';
    // the PIN's HMAC is worked out before queueing: the queue only decides
    const pinOk = verifyPin(pin, e.profile.pinHash, this.secret);
    const { value } = await this.runner.run(row.id, (x, ctx) => decideLogin(x, { pinOk, token: check, lockAfter: this.config.lockAfterFailedLogins }, ctx));
    return { session: `${row.id}.${value.generation}.${this.sign(row.id, value.generation)}`, candidateId: row.id, sittingId: s.id };
  }

  /** The candidate a session was signed for (its signature checked, nothing read): UNAUTHORIZED if it is not one of this server's. */
  signedFor(session: unknown): { candidateId: number; generation: number } {
    if (typeof session !== 'string') fail(ErrorCode.UNAUTHORIZED, 'log in first');
    const [id, gen, sig] = session.split('.');
    const candidateId = Number(id);
    if (!Number.isSafeInteger(candidateId) || !gen || !sig || !safeEqual(sig, this.sign(candidateId, Number(gen)))) fail(ErrorCode.UNAUTHORIZED, 'invalid session: log in again');
    return { candidateId, generation: Number(gen) };
  }

  /** Checks a candidate session; a login reset by a proctor revokes every older session. */
  authenticate(session: unknown): number {
    const { candidateId, generation } = this.signedFor(session);
    const e = this.registry.examinee(candidateId);
    if (e.login.loginGeneration !== generation) fail(ErrorCode.UNAUTHORIZED, 'this login was reset by the proctor: log in again');
    return candidateId;
  }
}
