import { BankFileSchema, BankQuestionSchema, OPTION_LETTERS, type Question } from '../contract/question.js';
import type { ExamTemplate } from '../contract/exam.js';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from './errors.js';
import { checkRichContent } from './rich-content.js';

export interface BankProblem {
  questionId: string | null;
  /** index of the question in the file */
  index: number | null;
  field: string;
  message: string;
}

export interface ParsedBank {
  id: string;
  title: string;
  language: string;
  questions: Question[];
}

function pathToField(path: PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)), '');
}

/**
 * Parses a kaca-bank@1 document. All or nothing: any problem throws BANK_INVALID whose details
 * list every problem with the question id and field. With a template, sections and scoring
 * kinds are checked against it too.
 */
export function parseBank(doc: unknown, template?: ExamTemplate): ParsedBank {
  const head = BankFileSchema.safeParse(doc);
  if (!head.success) {
    const problems: BankProblem[] = head.error.issues.map((i) => ({ questionId: null, index: null, field: pathToField(i.path), message: i.message }));
    throw new KacaError(ErrorCode.BANK_INVALID, describe(problems), problems);
  }
  const problems: BankProblem[] = [];
  const questions: Question[] = [];
  const seen = new Map<string, number>();
  const sections = template ? new Map(template.sections.map((s) => [s.id, s])) : null;

  head.data.questions.forEach((raw, index) => {
    const rawId = typeof raw === 'object' && raw && 'id' in raw && typeof raw.id === 'string' ? raw.id : null;
    const add = (field: string, message: string) => problems.push({ questionId: rawId, index, field, message });
    const parsed = BankQuestionSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) add(pathToField(issue.path) || '(question)', issue.message);
      return;
    }
    const q = parsed.data;
    if (seen.has(q.id)) add('id', `duplicate id (also question #${(seen.get(q.id) ?? 0) + 1})`);
    seen.set(q.id, index);
    for (const p of checkRichContent(q.stem)) add('stem', p);
    q.options.forEach((o, i) => {
      for (const p of checkRichContent(o)) add(`options[${i}]`, p);
    });
    if (sections) {
      const section = sections.get(q.section);
      if (!section) add('section', `section ${q.section} is not in template ${template!.id} (${[...sections.keys()].join(', ')})`);
      else if (section.scoring.kind === 'keyed' && q.key === undefined) add('key', `section ${q.section} is keyed: give a key`);
      else if (section.scoring.kind === 'weighted' && q.weights === undefined) add('weights', `section ${q.section} is weighted: give weights`);
    }
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
  if (problems.length) throw new KacaError(ErrorCode.BANK_INVALID, describe(problems), problems);
  return { id: head.data.id, title: head.data.title, language: head.data.language, questions };
}

export function describe(problems: BankProblem[]): string {
  const lines = problems.slice(0, 50).map((p) => {
    const where = p.questionId ? `question ${p.questionId}` : p.index !== null ? `question #${p.index + 1}` : 'bank';
    return `${where}: ${p.field}: ${p.message}`;
  });
  const more = problems.length > 50 ? `\n... and ${problems.length - 50} more` : '';
  return `bank is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}${more}`;
}
