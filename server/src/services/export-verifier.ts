import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ExamTemplateSchema } from '../contract/exam.js';
import { dealPaper, prepareDeal } from '../domain/deal.js';
import { bankItem } from '../domain/log-events.js';
import { scoreChoice, sectionRules } from '../domain/scoring.js';
import type { Ed25519VerifyFn } from '../domain/verify/signed-note.js';
import { verifyExport, verifyExportAsync, type AuditorInputs, type VerifyReport } from '../domain/verify/verify.js';
import { MerkleTree, type TreeLevels } from '../domain/verify/merkle.js';
import { spawnThread } from '../thread.js';
import { useNodeSha256 } from '../db/sitting-log.js';
import { formatReport as formatBankReport, readBankSource } from '../../../question-bank/formats.js';

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const publicKeys = new Map<string, KeyObject>();

/** Ed25519 verification through node:crypto: the same answers as @noble's, several times faster. */
export const nodeEd25519Verify: Ed25519VerifyFn = (signature, message, publicKey) => {
  const id = Buffer.from(publicKey).toString('hex');
  let key = publicKeys.get(id);
  if (!key) publicKeys.set(id, (key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' })));
  try {
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
};

export class VerifyInputError extends Error {}

/**
 * The auditor's inputs from a bank file (any format import-bank reads) and the template the
 * export carries: the engine's own dealing and scoring, so every paper and delta is recomputed
 * exactly as the server worked them out.
 */
export function auditorInputs(bankPath: string, template: unknown): AuditorInputs {
  const t = ExamTemplateSchema.safeParse(template);
  if (!t.success) throw new VerifyInputError(`the export's template is not a valid exam template: ${t.error.issues[0].message}`);
  const { bank, report } = readBankSource(bankPath, { template: t.data });
  if (!bank) throw new VerifyInputError(`the bank ${bankPath} cannot be read:\n${formatBankReport(report)}`);
  const questions = bank.questions.map(bankItem);
  const byId = new Map(questions.map((q) => [q.id, q]));
  const rules = sectionRules(t.data);
  const plan = prepareDeal(questions, t.data);
  return {
    bank: questions,
    dealPaper: (seed, reg) => dealPaper(plan, seed, reg).items,
    scoreItem: (id, index) => {
      const q = byId.get(id);
      if (!q) throw new Error(`question ${id} is not in the bank`);
      return scoreChoice(q, rules.get(q.section)!, index);
    },
  };
}

/** The Merkle tree of an export's leaves, built on a thread of its own from the same file. */
function treeOnThread(file: string): Promise<MerkleTree> {
  return new Promise((resolve, reject) => {
    const w = spawnThread(new URL('./tree-thread.js', import.meta.url), new URL('./tree-thread.ts', import.meta.url), { file });
    w.once('message', (m: { ok: true; levels: TreeLevels } | { ok: false; message: string }) => {
      void w.terminate();
      if (m.ok) resolve(MerkleTree.fromLevels(m.levels));
      else reject(new VerifyInputError(m.message));
    });
    w.once('error', reject);
  });
}

/**
 * Reads and verifies an export file (and, for an auditor, the bank): the report, never a throw
 * for a bad export. A second thread hashes the leaves while this one checks them.
 */
export async function verifyExportFile(exportPath: string, bankPath?: string): Promise<VerifyReport> {
  useNodeSha256();
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(exportPath, 'utf8'));
  } catch (e) {
    throw new VerifyInputError(`cannot read ${exportPath}: ${(e as Error).message}`);
  }
  const template = (input as { sitting?: { template?: unknown } } | null)?.sitting?.template;
  const auditor = bankPath ? auditorInputs(bankPath, template) : undefined;
  const leaves = (input as { leaves?: unknown } | null)?.leaves;
  // a file that is not an export gets its report from the schema, with no thread started
  if (!Array.isArray(leaves)) return verifyExport(input, { verifySignature: nodeEd25519Verify, auditor });
  const tree = treeOnThread(exportPath);
  tree.catch(() => undefined);
  return verifyExportAsync(input, { verifySignature: nodeEd25519Verify, auditor, tree });
}

/** The report as the command line prints it: one line per check, then the problems. */
export function formatVerifyReport(report: VerifyReport, maxErrors = 20): string {
  const lines = report.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
  if (!report.ok) {
    lines.push('', report.firstBadLeaf !== undefined ? `first bad leaf: ${report.firstBadLeaf}` : 'no single leaf is to blame');
    for (const e of report.errors.slice(0, maxErrors)) lines.push(`  - ${e}`);
    if (report.errors.length > maxErrors) lines.push(`  ... and ${report.errors.length - maxErrors} more`);
  }
  lines.push('', report.ok ? 'VERIFIED: the export is consistent with its signed checkpoints, commitments and receipts' : 'NOT VERIFIED');
  return lines.join('\n');
}
