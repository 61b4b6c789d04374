import { seedCommitment } from './verify/commitments.js';
import type { AuditEntry, ProctorAlert, ProctorRow, SittingInfo } from '../contract/proctor.js';
import type { Catalog, Sitting } from './catalog.js';
import type { Examinee } from './examinee.js';
import { totalOf } from './scoring.js';
import { seatPlace } from './seat-map.js';
import { proctorStatus } from './status.js';
import { remainingMs } from './timing.js';

/** What the server sees of a candidate's PC: nothing of it is stored, all of it is for proctors. */
export interface Presence {
  connections: number;
  lastSeenAt: number | null;
  /** what the exam client reported (left the window, left full screen) */
  reports: Map<'focus-lost' | 'fullscreen-exited', ProctorAlert>;
}

function proctorAlerts(e: Examinee, presence: Presence | undefined): ProctorAlert[] {
  const alerts = [...(presence?.reports.values() ?? [])];
  const { failedLogins, lastFailedAt, lockedAt } = e.login;
  if (failedLogins > 0 && lastFailedAt !== null && lockedAt === null) alerts.push({ kind: 'failed-logins', at: lastFailedAt, count: failedLogins });
  if (lockedAt !== null) alerts.push({ kind: 'login-locked', at: lockedAt, count: failedLogins });
  if (e.capReachedAt !== null) alerts.push({ kind: 'change-limit', at: e.capReachedAt, count: e.storedEvents });
  return alerts;
}

/** A candidate as the proctor console shows them: everything, live scores included, and where they sit. */
export function proctorRow(e: Examinee, presence: Presence | undefined, catalog: Catalog, sitting: Sitting, now: number): ProctorRow {
  const a = e.attempt;
  const connected = (presence?.connections ?? 0) > 0;
  const lastActivity = Math.max(e.lastChangeAt ?? 0, presence?.lastSeenAt ?? 0) || null;
  return {
    id: e.profile.id,
    registrationNumber: e.profile.registrationNumber,
    name: e.profile.name,
    formation: e.profile.formation,
    group: e.profile.group,
    seat: e.profile.seat,
    place: seatPlace(e.profile.seat, { rows: sitting.roomRows, cols: sitting.roomCols }),
    photoUrl: e.profile.photoUrl,
    status: proctorStatus(e, connected, sitting),
    attemptState: a?.state ?? null,
    connected,
    answered: e.answered,
    flagged: e.flagged,
    itemCount: e.paper?.length ?? catalog.itemCount,
    sections: { ...e.scores },
    total: totalOf(e.scores),
    remainingMs: a && a.state === 'in_progress' ? remainingMs(a.clock, now) : null,
    lastActivity,
    failedLogins: e.login.failedLogins,
    locked: e.login.lockedAt !== null,
    alerts: proctorAlerts(e, presence),
  };
}

export function sittingInfo(s: Sitting, catalog: Catalog, candidates: number, paused: boolean, verifierKey: string): SittingInfo {
  return {
    id: s.id,
    name: s.name,
    site: s.site,
    room: s.room,
    status: s.status,
    templateId: s.templateId,
    bankId: s.bankId,
    requireToken: s.requireToken,
    requireAdmission: s.requireAdmission,
    revealPolicy: s.revealPolicy,
    roomRows: s.roomRows,
    roomCols: s.roomCols,
    timezone: s.timezone,
    scheduledStart: s.scheduledStart,
    openedAt: s.openedAt,
    startedAt: s.startedAt,
    closedAt: s.closedAt,
    durationMinutes: catalog.template.durationMinutes,
    sections: catalog.template.sections.map((x) => ({ id: x.id, title: x.title })),
    candidates,
    beaconRound: s.beaconRound,
    seedCommitment: seedCommitment(s.seed),
    verifierKey,
    paused,
  };
}

/** An audit row as staff see it (the actor's account id stays on the server). */
export function auditEntry(r: { id: number; at: number; actorName: string; actorRole: string; sittingId: string | null; candidateId: number | null; action: string; reason: string; details: unknown }): AuditEntry {
  return { id: r.id, at: r.at, actorName: r.actorName, actorRole: r.actorRole, sittingId: r.sittingId, candidateId: r.candidateId, action: r.action, reason: r.reason, details: r.details ?? null };
}
