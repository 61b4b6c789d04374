import type { ExamTemplate } from '../../server/src/contract/exam.js';
import type { BankProblem } from '../../server/src/domain/bank.js';
import { normalizeDifficulty, sourceProblem, type BankDraft } from '../common.js';
import { readItem, type ItemMeta } from './item.js';
import { readManifest, type ManifestItem } from './manifest.js';
import { findManifest, type PackageFiles } from './package.js';
import { parseXml } from './xml.js';
import { posix } from 'node:path';

export interface QtiImportOptions {
  id?: string;
  title?: string;
  language?: string;
  /** a name for the bank when neither the caller nor the manifest gives an id */
  fallbackId: string;
  template?: ExamTemplate;
  /** section of items whose metadata and identifier name none */
  section?: string;
}

const LOM_DIFFICULTY: Record<string, string> = { 'very easy': 'easy', easy: 'easy', medium: 'medium', difficult: 'hard', 'very difficult': 'hard' };

/**
 * Section, topic and difficulty of an item, first found wins (docs/bank-format.md):
 * 1. the resource's LOM keywords "section:TWK", "topic:pancasila", "difficulty:medium";
 * 2. LOM educational/difficulty (very easy/easy -> easy, medium, difficult/very difficult -> hard);
 * 3. for the section, the item identifier's prefix when it names a template section (TWK-001);
 * 4. for the section, the importer's --section option.
 * A topic not given is the section's id: the whole section is then one stratum.
 */
function itemMeta(entry: ManifestItem, identifier: string | null, opts: QtiImportOptions): ItemMeta & { topicMissing: boolean } {
  const tagged = (name: string) => entry.keywords.find((k) => k.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim();
  const fromId = identifier ? opts.template?.sections.find((s) => new RegExp(`^${s.id.replace(/[.]/g, '\\.')}[-_.]`).test(identifier))?.id : undefined;
  const section = tagged('section') || fromId || opts.section;
  const topic = tagged('topic');
  const difficultyText = tagged('difficulty') ?? (entry.lomDifficulty ? LOM_DIFFICULTY[entry.lomDifficulty.toLowerCase()] ?? entry.lomDifficulty : undefined);
  const difficulty = difficultyText ? normalizeDifficulty(difficultyText) : undefined;
  const kind = section ? opts.template?.sections.find((s) => s.id === section)?.scoring.kind : undefined;
  return { section, topic: topic || section, difficulty, kind, topicMissing: !topic };
}

/** Reads a QTI 2.1 / 3.0 content package into a kaca-bank@1 document. */
export function qtiToBankDraft(files: PackageFiles, opts: QtiImportOptions): BankDraft {
  const errors: BankProblem[] = [];
  const warnings: BankProblem[] = [];
  const locations: string[] = [];
  const doc: BankDraft['doc'] = { format: 'kaca-bank@1', id: opts.id ?? opts.fallbackId, title: opts.title ?? opts.fallbackId, language: opts.language ?? 'id', questions: [] };
  const manifestPath = findManifest(files);
  if (!manifestPath) {
    errors.push(sourceProblem('no imsmanifest.xml: a QTI content package lists its items in imsmanifest.xml at its root'));
    return { doc, info: { errors } };
  }
  const parsed = parseXml(Buffer.from(files.read(manifestPath)!).toString('utf8'));
  if ('error' in parsed) {
    errors.push(sourceProblem(parsed.error, '', manifestPath));
    return { doc, info: { errors } };
  }
  const manifest = readManifest(parsed.root, posix.dirname(manifestPath) === '.' ? '' : posix.dirname(manifestPath));
  if (!opts.id && manifest.id && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(manifest.id)) doc.id = manifest.id;
  if (!opts.title && manifest.title) doc.title = manifest.title;
  if (!opts.language && manifest.language) doc.language = manifest.language;
  if (manifest.items.length === 0) errors.push(sourceProblem('the manifest lists no QTI item resources (type imsqti_item_xmlv2p1 or imsqti_item_xmlv3p0)', '', manifestPath));
  if (manifest.skipped.length) warnings.push(sourceProblem(`resources not read (Kaca imports items only): ${manifest.skipped.join(', ')}`, '', manifestPath));

  const noTopic: string[] = [];
  for (const entry of manifest.items) {
    const index = doc.questions.length;
    locations.push(entry.path);
    const problem = (message: string, questionId: string | null) => errors.push({ code: 'source', questionId, index, field: 'qti', message, location: entry.path });
    const bytes = files.read(entry.path);
    if (!bytes) {
      problem(`the manifest lists ${entry.path}, which is not in the package`, null);
      doc.questions.push(null);
      continue;
    }
    const xml = parseXml(Buffer.from(bytes).toString('utf8'));
    if ('error' in xml) {
      problem(xml.error, null);
      doc.questions.push(null);
      continue;
    }
    const meta = itemMeta(entry, xml.root.attrs.identifier ?? null, opts);
    const item = readItem(xml.root, meta, { itemPath: entry.path, readFile: (p) => files.read(p) });
    for (const p of item.problems) problem(p, item.identifier);
    if (item.question && !meta.section) {
      problem('no section: give the manifest resource a LOM keyword section:<id>, start the identifier with a section id (TWK-...), or import with --section', item.identifier);
      doc.questions.push(null);
      continue;
    }
    if (item.question && meta.topicMissing) noTopic.push(item.identifier ?? entry.path);
    doc.questions.push(item.question);
  }
  if (noTopic.length) {
    warnings.push(sourceProblem(`${noTopic.length} item${noTopic.length === 1 ? ' carries' : 's carry'} no topic (LOM keyword topic:<name>), so each takes its section as its topic: ${noTopic.join(', ')}`));
  }
  return { doc, info: { errors, warnings, locations } };
}
