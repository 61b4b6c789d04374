import { z } from 'zod';
import type { Ack, ErrorBody } from './errors.js';
import type { AttemptState } from './candidate.js';

export const StaffLoginSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
});
export interface StaffLoginResult {
  session: string;
  account: { id: number; username: string; displayName: string; role: 'admin' | 'proctor' };
}

const Reason = z.string().trim().min(3, 'give a reason (at least 3 characters)').max(1000);
const SittingRef = z.object({ sittingId: z.string().min(1).max(64) });

export const SittingActionSchema = SittingRef.extend({ reason: Reason });
/** Extra minutes for every candidate in progress at once (the same range as one candidate's). */
export const SittingExtendSchema = SittingActionSchema.extend({ minutes: z.number().min(1 / 60, 'extend by at least a second').max(600) });
export type SittingExtend = z.infer<typeof SittingExtendSchema>;
/**
 * Starting a sitting that names a beacon round takes that round's signature (96 hex digits), as
 * drand publishes it (https://api.drand.sh/<chain hash>/public/<round>): the server checks it
 * against the beacon's key and mixes its SHA-256 into the seed.
 */
export const SittingStartSchema = SittingActionSchema.extend({
  beaconSignature: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{96}$/, 'the beacon signature is 96 hex digits')
    .transform((s) => s.toLowerCase())
    .optional(),
});
export const CandidateActionSchema = SittingRef.extend({ candidateId: z.number().int().positive(), reason: Reason });
export const ExtendSchema = CandidateActionSchema.extend({ minutes: z.number().min(1 / 60, 'extend by at least a second').max(600) });
export const IncidentSchema = SittingRef.extend({ candidateId: z.number().int().positive().optional(), reason: Reason });
/** Admits many waiting candidates at once, checked against the roster's list: one reason, one audit entry. */
export const AdmitManySchema = SittingRef.extend({ candidateIds: z.array(z.number().int().positive()).min(1).max(5000), reason: Reason });
export const WatchSchema = SittingRef;


/** waiting: logged in, not yet admitted; admitted: may start, has not */
export type ProctorStatus = 'absent' | 'waiting' | 'admitted' | 'in_progress' | 'disconnected' | 'paused' | 'finished' | 'terminated' | 'locked';

export interface ProctorAlert {
  /** change-limit: the attempt stored as many changes as it may and refuses more (count = stored) */
  kind: 'focus-lost' | 'fullscreen-exited' | 'failed-logins' | 'login-locked' | 'change-limit';
  at: number;
  count: number;
}

export interface ProctorRow {
  id: number;
  registrationNumber: string;
  name: string;
  formation: string;
  group: string;
  /** seat or PC number from the roster */
  seat: string | null;
  /** where that seat is in the room's grid (domain/seat-map.ts); null: shown after the grid, in order */
  place: { row: number; col: number } | null;
  /** the roster's photo, for the identity check */
  photoUrl: string | null;
  status: ProctorStatus;
  attemptState: AttemptState | null;
  connected: boolean;
  answered: number;
  flagged: number;
  itemCount: number;
  sections: Record<string, number>;
  total: number;
  remainingMs: number | null;
  lastActivity: number | null;
  failedLogins: number;
  locked: boolean;
  alerts: ProctorAlert[];
}

export interface SittingInfo {
  id: string;
  name: string;
  site: string;
  room: string;
  /** scheduled (being prepared), open (logins and admission), running (the exam may start), closed (over) */
  status: 'scheduled' | 'open' | 'running' | 'closed';
  templateId: string;
  bankId: string;
  requireToken: boolean;
  requireAdmission: boolean;
  /** what the public board shows of scores: on-finish, or live (every answer's score: tryouts only) */
  revealPolicy: 'on-finish' | 'live';
  /** the room's seat grid, when known */
  roomRows: number | null;
  roomCols: number | null;
  /** IANA zone of the site: Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT) */
  timezone: string;
  scheduledStart: number;
  openedAt: number | null;
  startedAt: number | null;
  closedAt: number | null;
  durationMinutes: number;
  sections: { id: string; title: string }[];
  candidates: number;
  /** the public beacon round mixed into the seed: starting the sitting asks for its randomness */
  beaconRound: number | null;
  /** hash of the dealing seed, published from the start (docs/verifiability.md); the berita acara prints it */
  seedCommitment: string;
  /**
   * the key the sitting log's checkpoints and receipts are signed with, as a C2SP verifier key
   * ("name+keyid+base64"): the berita acara prints it, so a receipt can be checked against a key
   * that left the operator's hands (docs/verifiability.md)
   */
  verifierKey: string;
  /** a sitting-wide pause holds the hall's clock (sitting:pause until sitting:resume); only while it runs */
  paused: boolean;
}

export interface AuditEntry {
  id: number;
  at: number;
  actorName: string;
  actorRole: string;
  sittingId: string | null;
  candidateId: number | null;
  action: string;
  reason: string;
  details: unknown;
}

export interface ProctorSnapshot {
  sitting: SittingInfo;
  serverTime: number;
  token: Token | null;
  rows: ProctorRow[];
  audit: AuditEntry[];
}

export type SittingRef = z.infer<typeof SittingRef>;
export type SittingAction = z.infer<typeof SittingActionSchema>;
export type SittingStart = z.input<typeof SittingStartSchema>;
export type CandidateAction = z.infer<typeof CandidateActionSchema>;
export type Extend = z.infer<typeof ExtendSchema>;
export type Incident = z.infer<typeof IncidentSchema>;
export type AdmitMany = z.infer<typeof AdmitManySchema>;
export interface Token {
  token: string;
  rotatesAt: number;
}

/** Events a proctor console sends (payloads as a correct client sends them; the server checks every one). */
export interface ProctorClientEvents {
  'sittings:list': (ack: (r: Ack<SittingInfo[]>) => void) => void;
  'sitting:watch': (payload: SittingRef, ack: (r: Ack<ProctorSnapshot>) => void) => void;
  'sitting:open': (payload: SittingAction, ack: (r: Ack<SittingInfo>) => void) => void;
  'sitting:start': (payload: SittingStart, ack: (r: Ack<SittingInfo>) => void) => void;
  'sitting:close': (payload: SittingAction, ack: (r: Ack<SittingInfo>) => void) => void;
  'sitting:pause': (payload: SittingAction, ack: (r: Ack<{ affected: number }>) => void) => void;
  'sitting:resume': (payload: SittingAction, ack: (r: Ack<{ affected: number }>) => void) => void;
  /** clears every locked login of the sitting at once, with one reason */
  'sitting:unlock-logins': (payload: SittingAction, ack: (r: Ack<{ affected: number }>) => void) => void;
  'sitting:extend': (payload: SittingExtend, ack: (r: Ack<{ affected: number }>) => void) => void;
  'token:show': (payload: SittingRef, ack: (r: Ack<Token>) => void) => void;
  'candidate:admit': (payload: CandidateAction, ack: (r: Ack<ProctorRow>) => void) => void;
  /** admits every listed candidate still waiting (the others are left as they are) */
  'candidates:admit': (payload: AdmitMany, ack: (r: Ack<{ affected: number; admitted: number[] }>) => void) => void;
  'candidate:reset-login': (payload: CandidateAction, ack: (r: Ack<ProctorRow>) => void) => void;
  'candidate:pause': (payload: CandidateAction, ack: (r: Ack<ProctorRow>) => void) => void;
  'candidate:resume': (payload: CandidateAction, ack: (r: Ack<ProctorRow>) => void) => void;
  'candidate:extend': (payload: Extend, ack: (r: Ack<ProctorRow>) => void) => void;
  'candidate:terminate': (payload: CandidateAction, ack: (r: Ack<ProctorRow>) => void) => void;
  'incident:note': (payload: Incident, ack: (r: Ack<AuditEntry>) => void) => void;
}

export interface ProctorServerEvents {
  /** a failed event sent without an ack callback */
  'error:event': (p: { event: string; error: ErrorBody }) => void;
  /** coalesced: only the rows that changed */
  'candidates:updated': (p: { sittingId: string; serverTime: number; rows: ProctorRow[] }) => void;
  'sitting:updated': (p: { sitting: SittingInfo; token: Token | null }) => void;
  'audit:appended': (entry: AuditEntry) => void;
  /** the staff session ended (logout, expiry, account disabled, password changed); the server then disconnects */
  'session:ended': (p: { reason: string }) => void;
}

/** A candidate as the berita acara names them. */
export interface ReportCandidate {
  id: number;
  registrationNumber: string;
  name: string;
  formation: string;
  seat: string | null;
}

/**
 * The berita acara of a sitting (domain/incident-report.ts): its facts, attendance by one
 * definition (domain/status.ts), who was absent, routine admissions summed up in one line, the
 * alerts the system recorded, and every other action with its reason. Times are epoch ms: print
 * them in the site's zone (`sitting.timezone`, contract/site-time.ts).
 */
export interface IncidentReport {
  sitting: SittingInfo;
  generatedAt: number;
  /** present: admitted or ended; waiting: logged in, not admitted (only while the sitting is open); absent: the rest */
  counts: { registered: number; present: number; waiting: number; absent: number; inProgress: number; finished: number; terminated: number };
  absentees: ReportCandidate[];
  /** every admission (one by one or many at once), as one line */
  admissions: { count: number; first: number | null; last: number | null; by: string[] };
  /** what the system saw, per candidate and kind: left the window or full screen, a locked login, the change limit */
  alerts: (ReportCandidate & { kind: 'focus-lost' | 'fullscreen-exited' | 'login-locked' | 'change-limit'; count: number; first: number; last: number })[];
  /**
   * The whole audit log in order, each entry marked with the part of the report that covers it:
   * admission (the one line above), alert (the alerts above) or action (listed one by one).
   */
  entries: (AuditEntry & { registrationNumber: string | null; candidateName: string | null; part: 'admission' | 'alert' | 'action' })[];
}
