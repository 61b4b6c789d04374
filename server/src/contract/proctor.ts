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
export const CandidateActionSchema = SittingRef.extend({ candidateId: z.number().int().positive(), reason: Reason });
export const ExtendSchema = CandidateActionSchema.extend({ minutes: z.number().positive().max(600) });
export const IncidentSchema = SittingRef.extend({ candidateId: z.number().int().positive().optional(), reason: Reason });
export const WatchSchema = SittingRef;


export type ProctorStatus = 'absent' | 'waiting' | 'in_progress' | 'disconnected' | 'paused' | 'finished' | 'terminated' | 'locked';

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
export type CandidateAction = z.infer<typeof CandidateActionSchema>;
export type Extend = z.infer<typeof ExtendSchema>;
export type Incident = z.infer<typeof IncidentSchema>;
export interface Token {
  token: string;
  rotatesAt: number;
}

/** Events a proctor console sends (payloads as a correct client sends them; the server checks every one). */
export interface ProctorClientEvents {
  'sittings:list': (ack: (r: Ack<SittingInfo[]>) => void) => void;
  'sitting:watch': (payload: SittingRef, ack: (r: Ack<ProctorSnapshot>) => void) => void;
  'sitting:open': (payload: SittingAction, ack: (r: Ack<SittingInfo>) => void) => void;
  'sitting:start': (payload: SittingAction, ack: (r: Ack<SittingInfo>) => void) => void;
  'sitting:close': (payload: SittingAction, ack: (r: Ack<SittingInfo>) => void) => void;
  'sitting:pause': (payload: SittingAction, ack: (r: Ack<{ affected: number }>) => void) => void;
  'sitting:resume': (payload: SittingAction, ack: (r: Ack<{ affected: number }>) => void) => void;
  /** clears every locked login of the sitting at once, with one reason */
  'sitting:unlock-logins': (payload: SittingAction, ack: (r: Ack<{ affected: number }>) => void) => void;
  'token:show': (payload: SittingRef, ack: (r: Ack<Token>) => void) => void;
  'candidate:admit': (payload: CandidateAction, ack: (r: Ack<ProctorRow>) => void) => void;
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

/** The berita acara of a sitting: its facts and every action with its reason. */
export interface IncidentReport {
  sitting: SittingInfo;
  generatedAt: number;
  counts: { registered: number; present: number; absent: number; inProgress: number; finished: number; terminated: number };
  entries: (AuditEntry & { registrationNumber: string | null; candidateName: string | null })[];
}
