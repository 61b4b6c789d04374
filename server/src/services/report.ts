import type { IncidentReport } from '../contract/proctor.js';
import { siteIso, zoneAbbr } from '../contract/site-time.js';
import { incidentReport as buildReport } from '../domain/incident-report.js';
import type { ExamEngine } from '../engine/engine.js';
import { toCsv } from './csv.js';

/** The berita acara of a sitting (the rules of what it says are domain/incident-report.ts). */
export function incidentReport(engine: ExamEngine, sittingId: string): IncidentReport {
  const { registry, views } = engine;
  const s = registry.sitting(sittingId);
  // one query per table for the whole roster, not one per candidate
  registry.loadSitting(sittingId);
  return buildReport({
    sitting: views.sittingInfo(s),
    generatedAt: engine.now(),
    candidates: registry.examineesOf(sittingId).map((e) => ({
      profile: { id: e.profile.id, registrationNumber: e.profile.registrationNumber, name: e.profile.name, formation: e.profile.formation, seat: e.profile.seat },
      attempt: e.attempt,
    })),
    audit: views.auditLog(sittingId),
  });
}

/** The whole audit log, routine entries included, with times in the site's zone (ISO 8601 with its offset). */
export function incidentReportCsv(r: IncidentReport): string {
  const tz = r.sitting.timezone;
  return toCsv(
    [`time_${zoneAbbr(tz).toLowerCase()}`, 'actor', 'role', 'action', 'registration_number', 'candidate', 'reason', 'details'],
    r.entries.map((e) => [siteIso(e.at, tz), e.actorName, e.actorRole, e.action, e.registrationNumber ?? '', e.candidateName ?? '', e.reason, e.details ? JSON.stringify(e.details) : '']),
  );
}
