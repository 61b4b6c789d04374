import type { ExamTemplate } from '../contract/exam.js';
import { ErrorCode } from '../contract/errors.js';
import type { Question } from '../contract/question.js';
import type { SittingStatus } from './catalog.js';
import { prepareDeal } from './deal.js';
import { fail, KacaError } from './errors.js';
import { resolveGroup } from './groups.js';

/**
 * What an admin may change once it exists, and when. Papers are dealt from the sitting's seed,
 * template and bank when it opens (domain/deal.ts), so nothing a paper depends on may change
 * while a sitting that uses it deals or holds papers: the same seed must give the same paper on
 * any machine, for the audit print and the verifier alike.
 */

interface SittingRef {
  id: string;
  status: SittingStatus;
}

/** A sitting is changed only while scheduled; from opening on, its papers exist. */
export function assertSittingEditable(s: SittingRef): void {
  if (s.status !== 'scheduled') fail(ErrorCode.INVALID_STATE, `sitting ${s.id} is ${s.status}: a sitting can be changed only before it opens`);
}

/** Built-in templates are read-only (copy one to change it); others while no sitting uses them. */
export function assertTemplateEditable(id: string, builtIn: boolean, usedBy: readonly string[]): void {
  if (builtIn) fail(ErrorCode.INVALID_STATE, `template ${id} is built in and cannot be changed: save a copy under a new id`);
  if (usedBy.length > 0) fail(ErrorCode.INVALID_STATE, `template ${id} is used by sitting${usedBy.length > 1 ? 's' : ''} ${usedBy.join(', ')}: save a copy under a new id`);
}

/**
 * Retiring (or restoring) questions of a bank: never while a sitting that uses the bank is open
 * or running (it deals from the bank as it was when it opened), and never so many that a
 * scheduled sitting could no longer fill its paper. Closed sittings keep their papers: retired
 * questions stay in the bank and score as before.
 */
export function checkRetire(bankId: string, users: (SittingRef & { template: ExamTemplate })[], activeAfter: readonly Question[]): void {
  const live = users.filter((s) => s.status === 'open' || s.status === 'running');
  if (live.length > 0) fail(ErrorCode.INVALID_STATE, `bank ${bankId} is in use by ${live.map((s) => `sitting ${s.id} (${s.status})`).join(', ')}: retire questions before a sitting opens or after it closes`);
  for (const s of users.filter((x) => x.status === 'scheduled')) {
    try {
      prepareDeal(activeAfter, s.template);
    } catch (e) {
      if (e instanceof KacaError) fail(e.code, `sitting ${s.id} could no longer be dealt: ${e.message}`, e.details);
      throw e;
    }
  }
}

/**
 * Groups on a sitting's roster must all be groups of its template: checked when a scheduled
 * sitting moves to another template. Returns one message per candidate whose group is unknown.
 */
export function rosterGroupProblems(template: ExamTemplate, roster: readonly { registrationNumber: string; group: string }[]): string[] {
  const out: string[] = [];
  for (const c of roster) {
    const r = resolveGroup(template, c.group);
    if (!r.ok) out.push(`candidate ${c.registrationNumber}: ${r.message}`);
  }
  return out;
}
