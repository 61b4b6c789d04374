import type { AuditEntry, IncidentReport, ReportCandidate, SittingInfo } from '../contract/proctor.js';
import type { Attempt } from './examinee.js';
import { attemptStatus, attendance } from './status.js';

/** What the berita acara is made of: the sitting, its roster with each attempt, and its audit log in order. */
export interface ReportInput {
  sitting: SittingInfo;
  generatedAt: number;
  candidates: readonly { profile: ReportCandidate; attempt: Attempt | null }[];
  audit: readonly AuditEntry[];
}

type AlertKind = IncidentReport['alerts'][number]['kind'];
const ALERT_ACTIONS = new Set(['alert', 'login-locked', 'change-limit']);
const ADMISSIONS = new Set(['admit', 'admit-many']);

function details(e: AuditEntry): Record<string, unknown> {
  return e.details && typeof e.details === 'object' ? (e.details as Record<string, unknown>) : {};
}

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/**
 * The berita acara, as a site prints it. Attendance comes from the one definition (status.ts).
 * Absentees are named. Admissions, routine at the door and often hundreds, are one line. What
 * the system saw (left the window, left full screen, a locked login, the change limit) is
 * summed per candidate and kind. Every other entry (proctor actions with their reasons,
 * incidents, the sitting's own steps) is listed one by one; the log stays whole in `entries`.
 */
export function incidentReport(input: ReportInput): IncidentReport {
  const { sitting, audit } = input;
  const byId = new Map(input.candidates.map((c) => [c.profile.id, c.profile]));
  const counts = { registered: input.candidates.length, present: 0, waiting: 0, absent: 0, inProgress: 0, finished: 0, terminated: 0 };
  const absentees: ReportCandidate[] = [];
  for (const c of input.candidates) {
    const presence = attendance(c.attempt, sitting);
    counts[presence]++;
    if (presence === 'absent') absentees.push(c.profile);
    const status = attemptStatus(c.attempt, sitting);
    if (status === 'in_progress' || status === 'paused') counts.inProgress++;
    else if (status === 'finished') counts.finished++;
    else if (status === 'terminated') counts.terminated++;
  }

  const admissions: IncidentReport['admissions'] = { count: 0, first: null, last: null, by: [] };
  const alerts = new Map<string, IncidentReport['alerts'][number]>();
  const entries: IncidentReport['entries'] = [];
  for (const e of audit) {
    const who = e.candidateId !== null ? byId.get(e.candidateId) : undefined;
    const named = { registrationNumber: who?.registrationNumber ?? null, candidateName: who?.name ?? null };
    if (ADMISSIONS.has(e.action)) {
      entries.push({ ...e, ...named, part: 'admission' });
      admissions.count += e.action === 'admit' ? 1 : num(details(e).candidates, 0);
      admissions.first = admissions.first === null ? e.at : Math.min(admissions.first, e.at);
      admissions.last = admissions.last === null ? e.at : Math.max(admissions.last, e.at);
      if (!admissions.by.includes(e.actorName)) admissions.by.push(e.actorName);
      continue;
    }
    if (e.actorRole === 'system' && ALERT_ACTIONS.has(e.action) && who) {
      entries.push({ ...e, ...named, part: 'alert' });
      const d = details(e);
      const kind = (e.action === 'alert' ? d.kind : e.action) as AlertKind;
      const count = e.action === 'alert' ? num(d.count, 1) : 1;
      const first = e.action === 'alert' ? num(d.first, e.at) : e.at;
      const last = e.action === 'alert' ? num(d.last, e.at) : e.at;
      const key = `${who.id}:${kind}`;
      const seen = alerts.get(key);
      if (seen) alerts.set(key, { ...seen, count: seen.count + count, first: Math.min(seen.first, first), last: Math.max(seen.last, last) });
      else alerts.set(key, { ...who, kind, count, first, last });
      continue;
    }
    entries.push({ ...e, ...named, part: 'action' });
  }
  const inOrder = (a: ReportCandidate, b: ReportCandidate) => (a.registrationNumber < b.registrationNumber ? -1 : a.registrationNumber > b.registrationNumber ? 1 : 0);
  return {
    sitting,
    generatedAt: input.generatedAt,
    counts,
    absentees: absentees.sort(inOrder),
    admissions,
    alerts: [...alerts.values()].sort((a, b) => a.first - b.first || inOrder(a, b)),
    entries,
  };
}
