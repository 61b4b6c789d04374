import type { ExamTemplate } from '../contract/exam.js';

/**
 * Candidate groups (cum laude, disability, Papua, ...) choose the threshold set a candidate is
 * judged by. A roster may name a group the template lists in `groups`, or a threshold set by its
 * own id; anything else is an error in the roster, never a silent fallback to the general set
 * (DOMAIN.md). A blank group is the template's default threshold set.
 */
export interface GroupChoice {
  group: string;
  thresholdSet: string;
}

/** Every group a roster may name for the template, with the threshold set each one means. */
export function candidateGroups(template: ExamTemplate): GroupChoice[] {
  const out: GroupChoice[] = Object.entries(template.groups).map(([group, thresholdSet]) => ({ group, thresholdSet }));
  for (const set of template.thresholdSets) if (!Object.hasOwn(template.groups, set.id)) out.push({ group: set.id, thresholdSet: set.id });
  return out;
}

function defaultGroup(template: ExamTemplate): string {
  return template.defaultThresholdSet;
}

/**
 * The group as stored (the template's own spelling; letter case and surrounding spaces do not
 * matter), or an error message that lists what the template accepts.
 */
export function resolveGroup(template: ExamTemplate, raw: string | undefined | null): { ok: true; choice: GroupChoice } | { ok: false; message: string } {
  const wanted = (raw ?? '').trim();
  if (wanted === '') return { ok: true, choice: { group: defaultGroup(template), thresholdSet: template.defaultThresholdSet } };
  const all = candidateGroups(template);
  const found = all.find((g) => g.group.toLowerCase() === wanted.toLowerCase());
  if (found) return { ok: true, choice: found };
  return { ok: false, message: `group "${wanted}" is not in template ${template.id}: use one of ${all.map((g) => g.group).join(', ')} (or leave it empty for ${defaultGroup(template)})` };
}
