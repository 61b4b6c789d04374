import type { IncidentReport } from '../contract/proctor.js';
import type { ExamEngine } from '../engine/engine.js';
import { toCsv } from './csv.js';

/** Facts of a sitting for its incident report (berita acara). */
export function incidentReport(engine: ExamEngine, sittingId: string): IncidentReport {
  const snapshot = engine.views.proctorSnapshot(sittingId);
  const byId = new Map(snapshot.rows.map((r) => [r.id, r]));
  const states = snapshot.rows.map((r) => r.attemptState);
  return {
    sitting: snapshot.sitting,
    generatedAt: engine.now(),
    counts: {
      registered: snapshot.rows.length,
      present: states.filter((s) => s !== null).length,
      absent: states.filter((s) => s === null).length,
      inProgress: states.filter((s) => s === 'in_progress').length,
      finished: states.filter((s) => s === 'finished').length,
      terminated: states.filter((s) => s === 'terminated').length,
    },
    entries: snapshot.audit.map((e) => {
      const c = e.candidateId !== null ? byId.get(e.candidateId) : undefined;
      return { ...e, registrationNumber: c?.registrationNumber ?? null, candidateName: c?.name ?? null };
    }),
  };
}

export function incidentReportCsv(r: IncidentReport): string {
  return toCsv(
    ['time', 'actor', 'role', 'action', 'registration_number', 'candidate', 'reason', 'details'],
    r.entries.map((e) => [new Date(e.at).toISOString(), e.actorName, e.actorRole, e.action, e.registrationNumber ?? '', e.candidateName ?? '', e.reason, e.details ? JSON.stringify(e.details) : '']),
  );
}
