import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SKD_TEMPLATE } from '../../server/src/contract/exam.js';
import type { Question } from '../../server/src/contract/question.js';
import { parseConfig } from '../../server/src/config.js';
import { openStore } from '../../server/src/services/store.js';
import { addCandidates, createAccount, createSitting, ensureTemplate, importBank } from '../../server/src/services/admin.js';

/** A generated SKD-shaped bank of `size` questions (30/35/45 proportions), for load tests. */
export function generatedBank(size: number): Question[] {
  const shares: [string, number, string[]][] = [
    ['TWK', 30, ['pancasila', 'uud', 'nkri', 'bhinneka', 'nasionalisme', 'integritas']],
    ['TIU', 35, ['verbal', 'numerik', 'figural', 'deret', 'logika']],
    ['TKP', 45, ['pelayanan', 'jejaring', 'sosbud', 'tik', 'profesional', 'radikalisme']],
  ];
  const out: Question[] = [];
  for (const [section, share, topics] of shares) {
    const n = Math.round((size * share) / 110);
    for (let i = 0; i < n; i++) {
      const id = `${section}-${String(i).padStart(5, '0')}`;
      out.push({
        id,
        section,
        topic: topics[i % topics.length],
        difficulty: (['easy', 'medium', 'hard'] as const)[i % 3],
        stem: `<p>Soal beban ${id}: bacalah pernyataan berikut dengan saksama lalu pilih jawaban yang paling tepat menurut ketentuan yang berlaku.</p>`,
        options: ['A', 'B', 'C', 'D', 'E'].map((l) => `Pilihan ${l} untuk ${id}`),
        ...(section === 'TKP' ? { weights: [1, 2, 3, 4, 5].map((w) => ((w + i) % 5) + 1) } : { key: i % 5 }),
      });
    }
  }
  return out;
}

export interface BenchSeed {
  sittingId: string;
  candidates: { registrationNumber: string; pin: string }[];
  admin: { username: string; password: string };
}

/** Seeds DATA_DIR with the SKD template, a generated bank, one running sitting of N candidates and staff. */
export async function seedBench(dataDir: string, opts: { candidates: number; questions: number; proctors?: number; databaseUrl?: string }): Promise<BenchSeed> {
  const store = openStore(parseConfig({ dataDir, logLevel: 'silent', ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}) }));
  try {
    const now = Date.now();
    await ensureTemplate(store, SKD_TEMPLATE, now);
    await importBank(store, { id: 'bench', title: 'Bench bank', language: 'id', questions: generatedBank(opts.questions) }, now);
    await createSitting(store, { id: 'bench', name: 'Bench sitting', templateId: 'skd', bankId: 'bench', site: 'Bench', room: 'Loopback', scheduledStart: now, requireToken: false, requireAdmission: false }, now, { tokenIntervalMinutes: 15 }, { status: 'running' });
    const candidates = await addCandidates(
      store,
      'bench',
      Array.from({ length: opts.candidates }, (_, i) => ({ registrationNumber: `B${String(i).padStart(6, '0')}`, name: `Peserta Beban ${i}`, formation: `Formasi ${i % 10}`, group: 'umum', extraMinutes: 0 })),
      store.secret,
      now,
      (c) => c.registrationNumber.slice(-6),
    );
    const admin = { username: 'benchadmin', password: 'bench-password' };
    await createAccount(store, { ...admin, displayName: 'Bench Admin', role: 'admin', sittings: [] }, now);
    return { sittingId: 'bench', candidates: candidates.map((c) => ({ registrationNumber: c.registrationNumber, pin: c.pin })), admin };
  } finally {
    await store.close();
  }
}

/**
 * A new PostgreSQL database for one benchmark run (--db postgres), on the machine's server
 * (KACA_BENCH_PG_URL, or 127.0.0.1:5432 database test as the tests use); drop() removes it.
 */
export async function benchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = new URL(process.env.KACA_BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/test');
  const name = `kaca_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.href });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base.href);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async drop() {
      const again = new pg.Client({ connectionString: base.href });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}
