import type { ExamTemplate } from '../../server/src/contract/exam.js';
import { buildCatalog, type Catalog, type Sitting } from '../../server/src/domain/catalog.js';
import { restore, type Context, type Decision, type Examinee } from '../../server/src/domain/examinee.js';
import { smallTemplate, syntheticBank } from './bank.js';

/** The core with plain values: a small template and bank, a sitting, candidates, a context at any time. */
export const T0 = 1_800_000_000_000;
export const MIN = 60_000;

export function coreFixture(template: ExamTemplate = smallTemplate(), sittingPatch: Partial<Sitting> = {}) {
  const bank = syntheticBank([
    { section: 'A', topics: ['t1', 't2'], perStratum: 6 },
    { section: 'B', topics: ['w1'], perStratum: 6, weighted: true },
  ]);
  const catalog: Catalog = buildCatalog(template, bank);
  const sitting: Sitting = {
    id: 's1',
    name: 'Sesi',
    templateId: template.id,
    bankId: 'b1',
    site: 'Site',
    room: 'R1',
    scheduledStart: T0,
    seed: 'seed',
    status: 'running',
    requireToken: false,
    requireAdmission: false,
    practice: false,
    revealPolicy: 'on-finish',
    roomRows: null,
    roomCols: null,
    timezone: 'Asia/Jakarta',
    beaconRound: null,
    beaconRandomness: null,
    beaconSignature: null,
    dealtWithout: null,
    tokenSecret: 'secret',
    tokenIntervalSec: 900,
    vacancies: {},
    createdAt: T0,
    openedAt: T0,
    startedAt: T0,
    closedAt: null,
    ...sittingPatch,
  };
  const ctx = (now: number, patch: Partial<Sitting> = {}): Context => ({ now, sitting: { ...sitting, ...patch }, catalog, receiptId: (p) => `R:${p.length}`, maxEventsPerItem: 20 });
  const candidate = (id = 1, group = 'umum'): Examinee =>
    restore(
      {
        profile: { id, sittingId: 's1', registrationNumber: `R${id}`, name: `Calon ${id}`, formation: 'F1', group, extraMinutes: 0, photoUrl: null, seat: null, pinHash: 'x' },
        login: { failedLogins: 0, lockedAt: null, loginGeneration: 0, sessionGeneration: null },
        attempt: null,
        paper: null,
        replay: null,
        result: null,
      },
      catalog,
    );
  return { template, bank, catalog, sitting, ctx, candidate };
}

/** The decision's value, failing the test with the refusal if there was one. */
export function valueOf<T>(d: Decision<T>): T {
  if (!d.outcome.ok) throw d.outcome.error;
  return d.outcome.value;
}
