import { SKD_TEMPLATE } from '../contract/exam.js';
import type { CandidateInput } from '../contract/admin.js';
import type { Repositories } from '../db/repositories/index.js';
import { demoBank } from '../../../question-bank/index.js';
import { addCandidates, createAccount, createSitting, importBank, type IssuedPin } from './admin.js';
import { generatePin, randomId } from './secrets.js';

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

export function demoCandidates(count = 40): CandidateInput[] {
  return Array.from({ length: count }, (_, i) => ({
    registrationNumber: `24${String(100001 + i)}`,
    name: `${FIRST[i % FIRST.length]} ${LAST[(i * 7 + 3) % LAST.length]}`,
    formation: FORMATIONS[i % FORMATIONS.length][0],
    group: i % 13 === 5 ? 'disabilitas' : i % 11 === 4 ? 'cumlaude' : 'umum',
    extraMinutes: 0,
  }));
}

/**
 * The demo: the SKD template, the demo bank, a sitting that is open and running (ready to sit,
 * no token, no admission) with 40 candidates, and an admin and a proctor account.
 */
export function seedDemo(repos: Repositories, pepper: string, now: number, opts: { candidates?: number; sittingId?: string } = {}): DemoCredentials {
  const sittingId = opts.sittingId ?? 'demo';
  if (!repos.templates.get(SKD_TEMPLATE.id)) repos.templates.insert(SKD_TEMPLATE, now);
  const bank = demoBank(SKD_TEMPLATE);
  if (!repos.banks.exists(bank.id)) importBank(repos, bank, now);
  createSitting(
    repos,
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
  );
  repos.sittings.update(sittingId, { status: 'running', openedAt: now, startedAt: now });
  const candidates = addCandidates(repos, sittingId, demoCandidates(opts.candidates ?? 40), pepper, now, () => generatePin());
  const admin = { username: 'admin', password: randomId(9) };
  const proctor = { username: 'proctor', password: randomId(9) };
  createAccount(repos, { ...admin, displayName: 'Admin Demo', role: 'admin', sittings: [] }, now);
  createAccount(repos, { ...proctor, displayName: 'Pengawas Demo', role: 'proctor', sittings: [sittingId] }, now);
  return { sittingId, admin, proctor, candidates };
}
