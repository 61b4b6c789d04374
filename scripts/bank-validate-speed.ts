/**
 * How long bank validation takes on a large bank: a generated 10,000-question SKD bank (with
 * copies under other ids and some broken questions, so every check has work), the same bank
 * through the CSV reader and through QTI export and import, and the MMLU folder when it is
 * beside the repository. Prints a table; a benchmark, not a test (CONVENTIONS.md).
 *
 *   npx tsx scripts/bank-validate-speed.ts [--questions 10000] [--runs 5]
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import seedrandom from 'seedrandom';
import { SKD_TEMPLATE } from '../server/src/contract/exam.js';
import { OPTION_LETTERS } from '../server/src/contract/question.js';
import { validateBank } from '../server/src/domain/bank.js';
import { csvToBankDraft, CSV_COLUMNS } from '../question-bank/csv-bank.js';
import { exportQti, readBankBytes, readBankSource } from '../question-bank/formats.js';

const WORDS = (
  'pegawai warga kantor layanan laporan rapat atasan rekan tugas berkas antrean jadwal anggaran desa kota ' +
  'pancasila undang negara bangsa daerah hukum hak kewajiban sejarah budaya bahasa persatuan musyawarah ' +
  'deret angka pola gambar bangun sisi luas keliling hasil jumlah selisih kali bagi persen rata nilai ' +
  'cepat lambat baru lama besar kecil tinggi rendah pagi siang sore malam senin selasa rabu kamis jumat'
).split(' ');

function generate(n: number, seed: string): unknown[] {
  const rng = seedrandom(seed);
  const pick = () => WORDS[Math.floor(rng() * WORDS.length)];
  const sentence = (k: number) => Array.from({ length: k }, pick).join(' ');
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const section = i % 110 < 30 ? 'TWK' : i % 110 < 65 ? 'TIU' : 'TKP';
    // Every 70th question is a copy of an earlier one under a new id: the near-duplicate check's work.
    if (i > 100 && i % 70 === 0) {
      const copy = out[Math.floor(rng() * out.length)];
      out.push({ ...copy, id: `${copy.section}-COPY-${i}` });
      continue;
    }
    const q: Record<string, unknown> = {
      id: `${section}-${String(i).padStart(5, '0')}`,
      section,
      topic: `topik-${Math.floor(rng() * 8)}`,
      difficulty: (['easy', 'medium', 'hard'] as const)[Math.floor(rng() * 3)],
      stem: `<p>${sentence(12 + Math.floor(rng() * 20))} ...</p>`,
      options: Array.from({ length: 5 }, () => sentence(2 + Math.floor(rng() * 5))),
    };
    if (section === 'TKP') {
      const w = [1, 2, 3, 4, 5];
      for (let k = w.length - 1; k > 0; k--) {
        const j = Math.floor(rng() * (k + 1));
        [w[k], w[j]] = [w[j], w[k]];
      }
      q.weights = i % 500 === 7 ? [7, 5, 1, 2, 4] : w;
    } else {
      q.key = OPTION_LETTERS[Math.floor(rng() * 5)];
    }
    out.push(q);
  }
  return out;
}

function csvOf(questions: unknown[]): string {
  const cell = (v: unknown) => {
    const s = v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const rows = (questions as Record<string, unknown>[]).map((q) => {
    const options = q.options as string[];
    const weights = (q.weights as number[] | undefined) ?? [];
    return [q.id, q.section, q.topic, q.difficulty, q.stem, ...options, '', q.key, ...weights, ...Array(6 - weights.length).fill('')].map(cell).join(',');
  });
  return [CSV_COLUMNS.join(','), ...rows].join('\n');
}

function time<T>(runs: number, fn: () => T): { ms: number; result: T } {
  const times: number[] = [];
  let result!: T;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    result = fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], result };
}

const { values } = parseArgs({ options: { questions: { type: 'string', default: '10000' }, runs: { type: 'string', default: '5' } } });
const n = Number(values.questions);
const runs = Number(values.runs);
const questions = generate(n, 'kaca-bank-speed');
const doc = { format: 'kaca-bank@1', id: 'speed', title: 'Speed', questions };
const rows: string[][] = [];
const row = (what: string, ms: number, r: { report: { summary: { questions: number; valid: number; errors: number; warnings: number } } }) => {
  const s = r.report.summary;
  rows.push([what, `${ms.toFixed(0)} ms`, String(s.questions), String(s.valid), String(s.errors), String(s.warnings)]);
};

const plain = time(runs, () => validateBank(doc, SKD_TEMPLATE));
row(`validateBank, ${n} questions`, plain.ms, plain.result);
const csv = csvOf(questions);
const viaCsv = time(runs, () => {
  const draft = csvToBankDraft(csv, { id: 'speed', title: 'Speed', language: 'id' });
  return validateBank(draft.doc, SKD_TEMPLATE, draft.info);
});
row('CSV read + validate', viaCsv.ms, viaCsv.result);
const valid = validateBank({ ...doc, questions: questions.filter((_, i) => !plain.result.report.errors.some((e) => e.index === i)) });
if (valid.bank) {
  const bank = valid.bank;
  const exported = time(1, () => exportQti(bank));
  rows.push([`QTI 3.0 export, ${bank.questions.length} questions`, `${exported.ms.toFixed(0)} ms`, `${(exported.result.length / 1024 / 1024).toFixed(1)} MB`, '', '', '']);
  const imported = time(1, () => readBankBytes(exported.result, 'speed.zip', { template: SKD_TEMPLATE }));
  row('QTI import + validate', imported.ms, imported.result);
}
const mmlu = fileURLToPath(new URL('../../shared/data/mmlu-test', import.meta.url));
if (existsSync(mmlu)) {
  const m = time(Math.min(runs, 3), () => readBankSource(mmlu, { format: 'mmlu' }));
  row('MMLU folder read + validate', m.ms, m.result);
}

const header = ['what', 'median', 'questions', 'valid', 'errors', 'warnings'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
process.stdout.write([line(header), ...rows.map(line)].join('\n') + '\n');
