import { BankFileSchema, BankQuestionSchema, OPTION_LETTERS, type Question } from '../contract/question.js';
import type { ExamTemplate, Section } from '../contract/exam.js';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from './errors.js';
import { checkRichContent, checkTex } from './rich-content.js';
import { findNearDuplicates, type NearDuplicateGroup } from './bank-duplicates.js';
import { NUL_MESSAGE, nulAt } from './payload.js';

/** What kind of rule a problem breaks, for programs reading a report. */
export type BankProblemCode =
  | 'source' // the file or package could not be read as a bank
  | 'field' // a field has the wrong shape
  | 'content' // rich content outside the allowed subset
  | 'section' // section unknown to the template, or too few questions for it
  | 'scoring' // key or weights do not match the section's scoring kind
  | 'key'
  | 'weights'
  | 'options'
  | 'duplicate-id'
  | 'near-duplicate';

export interface BankProblem {
  code: BankProblemCode;
  questionId: string | null;
  /** index of the question in the bank (0-based; messages say #index+1) */
  index: number | null;
  field: string;
  message: string;
  /** where the question came from, when the format knows: "line 12", "items/TWK-001.xml" */
  location?: string;
  /** the other questions a duplicate problem is about */
  related?: { questionId: string | null; index: number }[];
}

export interface BankSummary {
  bankId: string | null;
  title: string | null;
  template: string | null;
  format: string | null;
  source: string | null;
  /** questions in the file, valid or not */
  questions: number;
  /** questions with no error */
  valid: number;
  /** questions per section (every question whose section could be read) */
  sections: Record<string, number>;
  errors: number;
  warnings: number;
}

/** Every problem found, none left out: errors block the import, warnings do not. */
export interface BankReport {
  errors: BankProblem[];
  warnings: BankProblem[];
  summary: BankSummary;
}

export interface ParsedBank {
  id: string;
  title: string;
  language: string;
  questions: Question[];
}

/** What a format reader knows beyond the kaca-bank@1 document it produced. */
export interface BankSourceInfo {
  format?: string;
  source?: string;
  /** parallel to the document's questions */
  locations?: (string | undefined)[];
  /** problems the reader found itself; a question it could not read at all is null in the document */
  errors?: BankProblem[];
  warnings?: BankProblem[];
}

function pathToField(path: PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

const letterRange = (n: number) => `A-${OPTION_LETTERS[Math.min(n, OPTION_LETTERS.length) - 1]}`;
const list = (values: number[]) => `[${values.join(', ')}]`;

/** "1-5" for a run of distinct integers, else the values themselves. */
export function describeWeightSet(set: number[]): string {
  const sorted = [...set].sort((a, b) => a - b);
  const run = sorted.every((v, i) => v === sorted[0] + i);
  return run ? `${sorted[0]}-${sorted[sorted.length - 1]}` : sorted.join(', ');
}

function isOrderingOf(weights: number[], set: number[]): boolean {
  if (weights.length !== set.length) return false;
  const a = [...weights].sort((x, y) => x - y);
  const b = [...set].sort((x, y) => x - y);
  return a.every((v, i) => v === b[i]);
}

/** The fields of a question that passed their shape check; the cross-field rules read only these. */
interface QuestionView {
  id?: string;
  section?: string;
  stem?: string;
  options?: string[];
  key?: (typeof OPTION_LETTERS)[number];
  weights?: number[];
}

type Add = (code: BankProblemCode, field: string, message: string) => void;

/** Rules that tie key, weights and options to the section the question is in. */
function checkScoring(q: QuestionView, bad: Set<string>, section: Section | undefined, add: Add) {
  const n = q.options?.length;
  const hasKey = q.key !== undefined || bad.has('key');
  const hasWeights = q.weights !== undefined || bad.has('weights');
  if (!section) {
    if (!hasKey && !hasWeights) add('scoring', 'key', 'give a key (keyed sections) or weights (weighted sections)');
    else if (hasKey && hasWeights) add('scoring', 'key', 'give a key (keyed sections) or weights (weighted sections), not both');
  } else {
    if (section.optionCount !== undefined && n !== undefined && n !== section.optionCount) {
      add('options', 'options', `section ${section.id} needs ${section.optionCount} options (${letterRange(section.optionCount)}); this question has ${n}`);
    }
    const letters = letterRange(section.optionCount ?? n ?? OPTION_LETTERS.length);
    if (section.scoring.kind === 'keyed') {
      if (!hasKey && !hasWeights) add('scoring', 'key', `section ${section.id} is keyed: give a key (the letter of the correct option, ${letters})`);
      else if (!hasKey) add('scoring', 'key', `section ${section.id} is keyed: give a key (the letter of the correct option, ${letters}) instead of weights`);
      else if (hasWeights) add('scoring', 'weights', `section ${section.id} is keyed: remove the weights (a keyed question has only a key)`);
    } else {
      const set = section.scoring.weightSet;
      const what = `give weights, one per option${set ? ` (${describeWeightSet(set)})` : ''}`;
      if (!hasKey && !hasWeights) add('scoring', 'weights', `section ${section.id} is weighted: ${what}`);
      else if (!hasWeights) add('scoring', 'weights', `section ${section.id} is weighted: ${what}, instead of a key`);
      else if (hasKey) add('scoring', 'key', `section ${section.id} is weighted: remove the key (a weighted question has only weights)`);
      if (set && q.weights && !isOrderingOf(q.weights, set)) {
        add('weights', 'weights', `section ${section.id}: weights ${list(q.weights)} must be an ordering of ${list(set)} (each value exactly once)`);
      }
    }
  }
  if (q.key !== undefined && n !== undefined && OPTION_LETTERS.indexOf(q.key) >= n) add('key', 'key', `key ${q.key} names no option (${n} options)`);
  if (q.weights !== undefined && n !== undefined && q.weights.length !== n) add('weights', 'weights', `${q.weights.length} weights for ${n} options`);
}

/**
 * Why a bank's questions would not fit a template's sections: a question with the wrong number
 * of options, a key where the section is weighted (it would always score the blank), weights
 * where it is keyed. The same rules as an upload checked against the template, grouped per
 * section and message; empty when every question fits. A bank checked against another template
 * at upload (or none) is held to the sitting's here.
 */
export function bankMisfits(questions: readonly Question[], template: ExamTemplate): string[] {
  const sections = new Map(template.sections.map((s) => [s.id, s]));
  const counts = new Map<string, number>();
  for (const q of questions) {
    const section = sections.get(q.section);
    if (!section) continue;
    const view: QuestionView = { id: q.id, section: q.section, options: q.options, key: q.key !== undefined ? OPTION_LETTERS[q.key] : undefined, weights: q.weights };
    checkScoring(view, new Set(), section, (_code, _field, message) => {
      // counted per message, so one question's own count of options is left out
      const key = message.replace(/; this question has \d+$/, '');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    });
  }
  return [...counts].map(([message, n]) => `${n} question${n === 1 ? '' : 's'}: ${message}`);
}

function nameList(members: { index: number; id: string }[]): string {
  const names = members.map((m) => `${m.id} (#${m.index + 1})`);
  return names.length === 2 ? `${names[0]} and ${names[1]}` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function nearDuplicateMessage(g: NearDuplicateGroup): string {
  const who = `questions ${nameList(g.members)}`;
  if (g.kind === 'same-stem-same-options') return `${who} have the same stem and the same options in the same order`;
  if (g.kind === 'similar') return `${who} share ${Math.floor((g.similarity ?? 0) * 100)}% of their wording (stem and options): check that they are not the same question`;
  const sharing = g.sameOptions?.map((s) => `${nameList(s)} also have the same options in the same order`);
  return `${who} have the same stem${sharing ? `; ${sharing.join('; ')}` : ' (their options differ)'}`;
}

const byIndex = (a: BankProblem, b: BankProblem) => (a.index ?? -1) - (b.index ?? -1);

/**
 * Validates a kaca-bank@1 document (or what a format reader made of its file) against an exam
 * template. Never throws: every problem goes into the report, and the bank is null when any is
 * an error. Without a template only the file's own rules are checked.
 */
export function validateBank(doc: unknown, template?: ExamTemplate, info: BankSourceInfo = {}): { bank: ParsedBank | null; report: BankReport } {
  const errors: BankProblem[] = [...(info.errors ?? [])];
  const warnings: BankProblem[] = [...(info.warnings ?? [])];
  const head = BankFileSchema.safeParse(doc);
  const obj = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : {};
  const rawQuestions: unknown[] = Array.isArray(obj.questions) ? obj.questions : [];
  if (!head.success) {
    for (const i of head.error.issues) {
      // A reader that found no questions has said why; "questions: too small" would add nothing.
      if (i.path[0] === 'questions' && rawQuestions.length === 0 && info.errors?.length) continue;
      errors.push({ code: 'source', questionId: null, index: null, field: pathToField(i.path), message: i.message });
    }
  }
  for (const key of Object.keys(obj)) {
    const at = key === 'questions' ? null : nulAt(obj[key], key);
    if (at !== null) errors.push({ code: 'field', questionId: null, index: null, field: at, message: NUL_MESSAGE });
  }
  const readerFlagged = new Set((info.errors ?? []).map((p) => p.index));
  const sections = template ? new Map(template.sections.map((s) => [s.id, s])) : null;
  const questions: Question[] = [];
  const invalid = new Set<number>([...readerFlagged].filter((i): i is number => i !== null));
  const ids = new Map<string, number[]>();
  const perSection: Record<string, number> = {};
  const validPerSection: Record<string, number> = {};
  const candidates: { index: number; id: string; stem: string; options: string[] }[] = [];

  rawQuestions.forEach((raw, index) => {
    if (raw === null && readerFlagged.has(index)) {
      invalid.add(index);
      return;
    }
    const rawId = typeof raw === 'object' && raw && 'id' in raw && typeof raw.id === 'string' ? raw.id : null;
    const location = info.locations?.[index];
    const problem = (code: BankProblemCode, field: string, message: string): BankProblem => ({ code, questionId: rawId, index, field, message, ...(location ? { location } : {}) });
    const add: Add = (code, field, message) => {
      invalid.add(index);
      errors.push(problem(code, field, message));
    };
    const parsed = BankQuestionSchema.safeParse(raw);
    const bad = new Set<string>();
    const nul = nulAt(raw);
    if (nul !== null) add('field', nul || '(question)', NUL_MESSAGE);
    if (!parsed.success) {
      // a field of the wrong type is reported as that alone: zod also runs the field's other
      // checks on what it got (options given as a string of 50 characters: "at most 6 options")
      const wrongType = new Set(parsed.error.issues.filter((i) => i.code === 'invalid_type').map((i) => pathToField(i.path)));
      for (const issue of parsed.error.issues) {
        if (issue.code !== 'invalid_type' && wrongType.has(pathToField(issue.path))) continue;
        add('field', pathToField(issue.path) || '(question)', issue.message);
        bad.add(String(issue.path[0] ?? ''));
      }
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return;
    }
    // Fields that passed their shape check still go through the other rules, so a question with
    // one bad field gets every other problem reported in the same run.
    const view: QuestionView = parsed.success ? parsed.data : fieldsWithoutIssues(raw as Record<string, unknown>, bad);
    const texts = (view.options ?? []).map((o, i): [string, string] => [`options[${i}]`, o]);
    if (view.stem !== undefined) texts.unshift(['stem', view.stem]);
    for (const [field, html] of texts) {
      for (const p of checkRichContent(html)) add('content', field, p);
      // maths the exam client would show as red source: a warning to fix, not a refusal, so a
      // bank stored before this check was made still loads, and its past sittings still verify
      for (const p of checkTex(html)) warnings.push(problem('content', field, p));
    }
    const section = view.section !== undefined ? sections?.get(view.section) : undefined;
    if (view.section !== undefined) perSection[view.section] = (perSection[view.section] ?? 0) + 1;
    if (sections && view.section !== undefined && !section) {
      add('section', 'section', `section ${view.section} is not in template ${template!.id} (${[...sections.keys()].join(', ')})`);
    }
    if (!sections || section || view.section === undefined) checkScoring(view, bad, section, add);
    if (view.id !== undefined) {
      const at = ids.get(view.id);
      if (at) at.push(index);
      else ids.set(view.id, [index]);
    }
    if (view.id !== undefined && view.stem !== undefined && view.options) candidates.push({ index, id: view.id, stem: view.stem, options: view.options });
    if (!parsed.success || invalid.has(index)) return;
    const q = parsed.data;
    questions.push({
      id: q.id,
      section: q.section,
      topic: q.topic,
      ...(q.difficulty ? { difficulty: q.difficulty } : {}),
      stem: q.stem,
      options: q.options,
      ...(q.key !== undefined ? { key: OPTION_LETTERS.indexOf(q.key) } : {}),
      ...(q.weights !== undefined ? { weights: q.weights } : {}),
    });
  });

  for (const [id, at] of ids) {
    if (at.length < 2) continue;
    for (const i of at) invalid.add(i);
    errors.push({
      code: 'duplicate-id',
      questionId: id,
      index: at[0],
      field: 'id',
      message: `id ${id} appears ${at.length} times: questions ${at.map((i) => `#${i + 1}`).join(', ')}`,
      related: at.slice(1).map((i) => ({ questionId: id, index: i })),
    });
  }
  for (const g of findNearDuplicates(candidates)) {
    const [first, ...rest] = g.members;
    warnings.push({
      code: 'near-duplicate',
      questionId: first.id,
      index: first.index,
      field: g.kind === 'similar' ? 'stem, options' : 'stem',
      message: nearDuplicateMessage(g),
      related: rest.map((m) => ({ questionId: m.id, index: m.index })),
    });
  }

  const valid = rawQuestions.length - invalid.size;
  for (const q of questions) if (ids.get(q.id)!.length === 1) validPerSection[q.section] = (validPerSection[q.section] ?? 0) + 1;
  if (template) {
    for (const s of template.sections) {
      const have = validPerSection[s.id] ?? 0;
      if (have < s.questionCount) {
        warnings.push({ code: 'section', questionId: null, index: null, field: 'questions', message: `section ${s.id} has ${have} valid question${have === 1 ? '' : 's'}; template ${template.id} deals ${s.questionCount} per paper` });
      }
    }
  }
  errors.sort(byIndex);
  warnings.sort(byIndex);
  const meta = head.success ? head.data : { id: typeof obj.id === 'string' ? obj.id : null, title: typeof obj.title === 'string' ? obj.title : null, language: 'id' };
  const report: BankReport = {
    errors,
    warnings,
    summary: {
      bankId: meta.id,
      title: meta.title,
      template: template?.id ?? null,
      format: info.format ?? null,
      source: info.source ?? null,
      questions: rawQuestions.length,
      valid,
      sections: perSection,
      errors: errors.length,
      warnings: warnings.length,
    },
  };
  const bank = errors.length === 0 && head.success ? { id: head.data.id, title: head.data.title, language: head.data.language, questions } : null;
  return { bank, report };
}

function fieldsWithoutIssues(raw: Record<string, unknown>, bad: Set<string>): QuestionView {
  const ok = (f: string) => !bad.has(f) && raw[f] !== undefined;
  const str = (f: string) => (ok(f) && typeof raw[f] === 'string' ? (raw[f] as string).trim() : undefined);
  return {
    id: str('id'),
    section: str('section'),
    stem: str('stem'),
    options: ok('options') ? (raw.options as string[]).map((o) => o.trim()) : undefined,
    key: ok('key') ? (raw.key as QuestionView['key']) : undefined,
    weights: ok('weights') ? (raw.weights as number[]) : undefined,
  };
}

/**
 * Parses a kaca-bank@1 document. All or nothing: any error throws BANK_INVALID whose message
 * lists every problem (formatReport) and whose details are the errors.
 */
export function parseBank(doc: unknown, template?: ExamTemplate): ParsedBank {
  const { bank, report } = validateBank(doc, template);
  if (!bank) throw new KacaError(ErrorCode.BANK_INVALID, formatReport(report), report.errors);
  return bank;
}

/** One line per problem: "question TWK-001: key: key F names no option (5 options) [#4, line 5]". */
export function formatProblem(p: BankProblem): string {
  const field = p.field ? `${p.field}: ` : '';
  // Duplicate problems name every question in their message.
  if (p.related) return `${field}${p.message}`;
  const who = p.questionId ? `question ${p.questionId}: ` : p.index !== null ? '' : 'bank: ';
  const where = [p.index !== null ? `#${p.index + 1}` : null, p.location ?? null].filter(Boolean);
  return `${who}${field}${p.message}${where.length ? ` [${where.join(', ')}]` : ''}`;
}

/** The whole report for people: a summary line, then every error and every warning, none cut. */
export function formatReport(report: BankReport): string {
  const s = report.summary;
  const from = [s.format, s.source].filter(Boolean).join(' ');
  const sections = Object.entries(s.sections).map(([id, n]) => `${id} ${n}`).join(', ');
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const lines = [
    `bank ${s.bankId ?? '(no id)'}${from ? ` (${from})` : ''}${s.template ? `, template ${s.template}` : ''}: ${plural(s.questions, 'question')}${sections ? ` (${sections})` : ''}, ${s.valid} valid; ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}`,
  ];
  if (report.errors.length) lines.push(`${plural(report.errors.length, 'error')}:`, ...report.errors.map((p) => `  ${formatProblem(p)}`));
  if (report.warnings.length) lines.push(`${plural(report.warnings.length, 'warning')}:`, ...report.warnings.map((p) => `  ${formatProblem(p)}`));
  return lines.join('\n');
}
