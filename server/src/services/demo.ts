import { SKD_TEMPLATE } from '../contract/exam.js';
import type { CandidateInput } from '../contract/admin.js';
import { demoBank } from '../../../question-bank/index.js';
import { addCandidates, createAccount, createSitting, ensureTemplate, importBank, type IssuedPin } from './admin.js';
import { generatePin, randomId } from './secrets.js';
import { SYSTEM_ACTOR } from '../domain/alert-log.js';
import { auditRecord } from '../domain/examinee.js';
import type { KacaStore } from './store.js';

export interface DemoCredentials {
  sittingId: string;
  admin: { username: string; password: string };
  proctor: { username: string; password: string };
  candidates: IssuedPin[];
}

const FIRST = ['Budi', 'Siti', 'Agus', 'Dewi', 'Rudi', 'Ayu', 'Hendra', 'Nurul', 'Yusuf', 'Rina', 'Fajar', 'Putri', 'Bambang', 'Lestari', 'Andi', 'Wulan', 'Dimas', 'Intan', 'Rizky', 'Maya'];
const LAST = ['Santoso', 'Rahmawati', 'Wijaya', 'Kurniasih', 'Hidayat', 'Pratiwi', 'Saputra', 'Handayani', 'Nugroho', 'Lubis', 'Siregar', 'Wahyuni', 'Setiawan', 'Manurung', 'Pangaribuan', 'Fitriani', 'Kusuma', 'Simanjuntak', 'Hasibuan', 'Gunawan'];
const FORMATIONS: [string, number][] = [
  ['Analis Kebijakan Ahli Pertama', 2],
  ['Pranata Komputer Ahli Pertama', 1],
  ['Auditor Ahli Pertama', 1],
];

function demoCandidates(count = 40): CandidateInput[] {
  return Array.from({ length: count }, (_, i) => ({
    registrationNumber: `24${String(100001 + i)}`,
    // every 20th candidate would repeat a name: the surname moves on by one each round
    name: `${FIRST[i % FIRST.length]} ${LAST[(i * 7 + 3 + Math.floor(i / FIRST.length)) % LAST.length]}`,
    formation: FORMATIONS[i % FORMATIONS.length][0],
    group: i % 13 === 5 ? 'disabilitas' : i % 11 === 4 ? 'cumlaude' : 'umum',
    extraMinutes: 0,
  }));
}

/**
 * The demo: the SKD template, the demo bank, a sitting that is open and running (ready to sit,
 * no token, no admission) with 40 candidates, and an admin and a proctor account.
 */
export async function seedDemo(store: KacaStore, now: number, opts: { candidates?: number; sittingId?: string } = {}): Promise<DemoCredentials> {
  const sittingId = opts.sittingId ?? 'demo';
  await ensureTemplate(store, SKD_TEMPLATE, now);
  const bank = demoBank(SKD_TEMPLATE);
  if (!store.repos.banks.exists(bank.id)) await importBank(store, bank, now);
  await createSitting(
    store,
    {
      id: sittingId,
      name: 'Demo SKD CPNS - Sesi 1',
      templateId: SKD_TEMPLATE.id,
      bankId: bank.id,
      site: 'Kantor Regional Demo',
      room: 'Ruang CAT 1',
      scheduledStart: now,
      requireToken: false,
      requireAdmission: false,
      practice: true,
      vacancies: Object.fromEntries(FORMATIONS),
    },
    now,
    { tokenIntervalMinutes: 15 },
    { status: 'running' },
  );
  const candidates = await addCandidates(store, sittingId, demoCandidates(opts.candidates ?? 40), store.secret, now, () => generatePin());
  const admin = { username: 'admin', password: randomId(9) };
  const proctor = { username: 'proctor', password: randomId(9) };
  await createAccount(store, { ...admin, displayName: 'Admin Demo', role: 'admin', sittings: [] }, now);
  await createAccount(store, { ...proctor, displayName: 'Pengawas Demo', role: 'proctor', sittings: [sittingId] }, now);
  // the audit log says how the demo came to be: by the system, on the first start
  const why = 'demo: disiapkan saat server pertama kali dijalankan';
  const steps: [string, unknown][] = [
    ['bank-import', { id: bank.id, questions: bank.questions.length }],
    ['sitting-create', { id: sittingId }],
    ['candidates-import', { count: candidates.length }],
    ['account-create', { username: admin.username, role: 'admin' }],
    ['account-create', { username: proctor.username, role: 'proctor', sittings: [sittingId] }],
    ['sitting-open', { from: 'scheduled', to: 'open' }],
    ['sitting-start', { from: 'open', to: 'running' }],
  ];
  await store.writer.submit(steps.map(([action, details]) => ({ kind: 'audit', record: auditRecord(SYSTEM_ACTOR, now, sittingId, null, action, why, details) })));
  return { sittingId, admin, proctor, candidates };
}
