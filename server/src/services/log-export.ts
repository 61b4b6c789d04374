import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { ErrorCode } from '../contract/errors.js';
import { OPTION_LETTERS, type Question } from '../contract/question.js';
import type { Catalog } from '../domain/catalog.js';
import { KacaError } from '../domain/errors.js';
import { bankItem, catalogCommitments, plainTemplate } from '../domain/log-events.js';
import { seedCommitment } from '../domain/verify/commitments.js';
import type { PublicExport } from '../domain/verify/export-format.js';
import type { ReadRepositories } from '../db/repositories/index.js';
import type { SittingRow } from '../db/repositories/sittings.js';
import { logOrigin } from '../db/sitting-log.js';
import type { CatalogCache } from './catalog.js';

/**
 * The public export of a closed sitting (kaca-export@1, docs/verifiability.md): the revealed
 * seed, the commitments, the template, every checkpoint, every leaf and every stored receipt.
 * Nothing in it names a question or a key: the leaves give paper positions, and the bank is
 * present only as its commitment. Written as a stream of small pieces so that a sitting of
 * hundreds of thousands of leaves never sits in memory as one string.
 */
const PAGE = 5000;

export interface ExportFigures {
  leaves: number;
  checkpoints: number;
  receipts: number;
  bytes: number;
}

export function assertClosed(sitting: SittingRow | undefined, sittingId: string): SittingRow {
  if (!sitting) throw new KacaError(ErrorCode.NOT_FOUND, `no sitting ${sittingId}`);
  if (sitting.status !== 'closed') throw new KacaError(ErrorCode.INVALID_STATE, `sitting ${sittingId} is ${sitting.status}: its export (and the seed in it) is published once it is closed`);
  return sitting;
}

/** The export without its leaves and receipts: what the file starts with. */
function exportHead(sitting: SittingRow, catalog: Catalog, key: { name: string; verifierKey: string }, checkpoints: string[]): Omit<PublicExport, 'leaves' | 'receipts'> {
  const c = catalogCommitments(catalog);
  const beacon =
    sitting.beaconRound !== null && sitting.beaconRandomness !== null ? { round: sitting.beaconRound, randomness: sitting.beaconRandomness, ...(sitting.beaconSignature ? { signature: sitting.beaconSignature } : {}) } : undefined;
  return {
    format: 'kaca-export@1',
    origin: logOrigin(key.name, sitting.id),
    publicKey: key.verifierKey,
    sitting: { id: sitting.id, name: sitting.name, seedCommitment: seedCommitment(sitting.seed), seed: sitting.seed, bankCommitment: c.bank, template: plainTemplate(catalog.template), ...(beacon ? { beacon } : {}) },
    checkpoints,
  };
}

/** Writes the export of a closed sitting to `file` (through a temporary file, renamed when complete). */
export function writeExport(repos: ReadRepositories, catalogs: CatalogCache, sittingId: string, key: { name: string; verifierKey: string }, file: string): ExportFigures {
  const sitting = assertClosed(repos.sittings.get(sittingId), sittingId);
  const catalog = catalogs.forSitting(sitting);
  const checkpoints = repos.log.checkpoints(sittingId);
  const size = repos.log.size(sittingId);
  const receipts = repos.results
    .bySitting(sittingId)
    .map((r) => r.receipt)
    .filter((r): r is string => r !== null);
  const head = JSON.stringify(exportHead(sitting, catalog, key, checkpoints));
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  let bytes = 0;
  const put = (s: string) => (bytes += writeSync(fd, s));
  try {
    // the head's closing brace gives way to the two arrays
    put(head.slice(0, -1));
    put(',"leaves":[');
    const sections = new Map<number, string[]>();
    for (let from = 0; from < size; from += PAGE) {
      const page = repos.log.leaves(sittingId, from, Math.min(size, from + PAGE), sections);
      // each leaf is a JSON string holding canonical JSON
      put((from === 0 ? '' : ',') + page.map((l) => JSON.stringify(l)).join(','));
    }
    put(`],"receipts":${JSON.stringify(receipts)}}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return { leaves: size, checkpoints: checkpoints.length, receipts: receipts.length, bytes };
}

/**
 * The bank as an auditor receives it (kaca-bank@1, docs/bank-format.md): exactly the questions
 * the sitting dealt from, keys and weights included. Secret: it goes to the auditor, not into
 * the public export. `kaca verify --bank` checks it against the bank commitment.
 */
export function auditorBank(catalog: Catalog, bank: { id: string; title: string; language: string }): unknown {
  const questions = catalog.dealt.map(bankItem).map((q: Question) => {
    const { key, ...rest } = q;
    return key === undefined ? rest : { ...rest, key: OPTION_LETTERS[key] };
  });
  return { format: 'kaca-bank@1', id: bank.id, title: bank.title, language: bank.language, questions };
}
