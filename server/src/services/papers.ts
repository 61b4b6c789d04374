import { OPTION_LETTERS } from '../contract/question.js';
import { ErrorCode } from '../contract/errors.js';
import { KacaError } from '../domain/errors.js';
import { dealPaper } from '../domain/deal.js';
import type { KacaStore } from './store.js';

export interface AuditPaper {
  sittingId: string;
  seed: string;
  registrationNumber: string;
  name: string;
  items: {
    number: number;
    section: string;
    questionId: string;
    topic: string;
    stem: string;
    /** in the order the candidate sees them */
    options: string[];
    /** letter as the candidate sees it (keyed items) */
    key?: string;
    /** per shown option (weighted items) */
    weights?: number[];
  }[];
}

/**
 * The candidate's paper with keys, exactly as dealt (or as it will be dealt: dealing is
 * deterministic). Read-only: an audit print changes nothing.
 */
export function auditPaper(store: KacaStore, sittingId: string, registrationNumber: string): AuditPaper {
  const sitting = store.repos.sittings.get(sittingId);
  if (!sitting) throw new KacaError(ErrorCode.NOT_FOUND, `no sitting ${sittingId}`);
  const candidate = store.repos.candidates.byRegistration(sittingId, registrationNumber);
  if (!candidate) throw new KacaError(ErrorCode.NOT_FOUND, `no candidate ${registrationNumber} in sitting ${sittingId}`);
  const { questions, plan } = store.catalog.forSitting(sitting);
  const items = store.repos.papers.get(candidate.id) ?? dealPaper(plan, sitting.seed, candidate.registrationNumber).items;
  return {
    sittingId,
    seed: sitting.seed,
    registrationNumber,
    name: candidate.name,
    items: items.map((item, i) => {
      const q = questions.get(item.questionId)!;
      const shownKey = q.key === undefined ? -1 : item.optionOrder.indexOf(q.key);
      return {
        number: i + 1,
        section: item.section,
        questionId: q.id,
        topic: q.topic,
        stem: q.stem,
        options: item.optionOrder.map((o) => q.options[o]),
        ...(shownKey >= 0 ? { key: OPTION_LETTERS[shownKey] } : {}),
        ...(q.weights ? { weights: item.optionOrder.map((o) => q.weights![o]) } : {}),
      };
    }),
  };
}

const plain = (html: string) => html.replace(/<img[^>]*>/g, '[gambar]').replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();

export function formatPaper(p: AuditPaper): string {
  const lines = [`Sitting ${p.sittingId} (seed ${p.seed}) - ${p.registrationNumber} ${p.name} - ${p.items.length} questions`, ''];
  for (const it of p.items) {
    lines.push(`${it.number}. [${it.section} ${it.questionId} ${it.topic}] ${plain(it.stem)}`);
    it.options.forEach((o, i) => {
      const mark = it.key === OPTION_LETTERS[i] ? ' *' : it.weights ? ` (${it.weights[i]})` : '';
      lines.push(`   ${OPTION_LETTERS[i]}. ${plain(o)}${mark}`);
    });
  }
  return lines.join('\n');
}
