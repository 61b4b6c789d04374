import { OPTION_LETTERS } from '../../server/src/contract/question.js';
import { content, promptContent, type ContentContext } from './content.js';
import { childElements, descendants, firstChild, textOf, type XElement } from './xml.js';

/**
 * One QTI 2.1 / 3.0 assessment item as a bank question. The subset: one choiceInteraction with
 * maxChoices=1; a keyed item names its correct choice in correctResponse (match_correct), a
 * weighted item gives each choice a mappedValue in its mapping (map_response).
 */
export interface ItemMeta {
  section?: string;
  topic?: string;
  difficulty?: string;
  /** the scoring kind the item's section needs, when the template says */
  kind?: 'keyed' | 'weighted';
}

export interface ItemResult {
  identifier: string | null;
  /** the question in kaca-bank@1 form; null when the item cannot be read as one */
  question: Record<string, unknown> | null;
  problems: string[];
}

const isInteraction = (e: XElement) => e.tag.endsWith('Interaction');

function processingTemplate(root: XElement): 'keyed' | 'weighted' | undefined {
  const rp = firstChild(root, 'responseProcessing');
  const template = rp?.attrs.template ?? rp?.attrs.templateLocation ?? '';
  if (/match_correct(\.xml)?$/.test(template)) return 'keyed';
  if (/map_response(\.xml)?$/.test(template)) return 'weighted';
  return undefined;
}

export function readItem(root: XElement, meta: ItemMeta, ctx: Omit<ContentContext, 'problems' | 'fromKaca'>): ItemResult {
  const problems: string[] = [];
  const identifier = root.attrs.identifier ?? null;
  const fail = (message: string): ItemResult => ({ identifier, question: null, problems: [...problems, message] });
  if (root.tag !== 'assessmentItem') return fail(`not a QTI assessment item (the root element is <${root.tag}>)`);
  if (!identifier) return fail('the item has no identifier');
  const body = firstChild(root, 'itemBody');
  if (!body) return fail('the item has no itemBody');
  const interactions = descendants(body, isInteraction);
  if (interactions.length !== 1 || interactions[0].tag !== 'choiceInteraction') {
    const found = interactions.length ? interactions.map((i) => i.tag).join(', ') : 'none';
    return fail(`only items with one choiceInteraction can be imported (found: ${found})`);
  }
  const interaction = interactions[0];
  const maxChoices = interaction.attrs.maxChoices ?? '1';
  if (maxChoices !== '1') return fail(`choiceInteraction has maxChoices=${maxChoices}: Kaca questions take exactly one answer (maxChoices=1)`);
  const responseId = interaction.attrs.responseIdentifier;
  const declaration = childElements(root, 'responseDeclaration').find((d) => d.attrs.identifier === responseId);
  if (!declaration) return fail(`no responseDeclaration for the interaction's response ${responseId ?? '(none)'}`);
  if ((declaration.attrs.cardinality ?? 'single') !== 'single') return fail(`response ${responseId} has cardinality ${declaration.attrs.cardinality}: it must be single`);

  const choices = childElements(interaction, 'simpleChoice');
  if (choices.length > OPTION_LETTERS.length) return fail(`${choices.length} choices: at most ${OPTION_LETTERS.length} (A-F)`);
  const cx: ContentContext = { ...ctx, fromKaca: root.attrs.toolName === 'Kaca', problems };
  const prompt = firstChild(interaction, 'prompt');
  // The stem is the item body as written, with the interaction replaced by its prompt.
  const stem = content(body.children, cx, (el) => (el === interaction ? (prompt ? promptContent(prompt, cx) : '') : undefined));
  const options = choices.map((c) => content(c.children, cx));
  const choiceIds = choices.map((c) => c.attrs.identifier ?? '');

  const correct = firstChild(declaration, 'correctResponse');
  const mapping = firstChild(declaration, 'mapping');
  let key: string | undefined;
  if (correct) {
    const values = childElements(correct, 'value').map((v) => textOf(v).trim());
    const at = values.length === 1 ? choiceIds.indexOf(values[0]) : -1;
    if (values.length !== 1) problems.push(`correctResponse gives ${values.length} values: a keyed item names exactly one choice`);
    else if (at < 0) problems.push(`correctResponse names ${values[0]}, which is not one of the choices (${choiceIds.join(', ')})`);
    else key = OPTION_LETTERS[at];
  }
  let weights: number[] | undefined;
  if (mapping) {
    const fallback = Number(mapping.attrs.defaultValue ?? '0');
    const entries = new Map<string, number>();
    for (const e of childElements(mapping, 'mapEntry')) {
      const mapKey = e.attrs.mapKey ?? '';
      if (!choiceIds.includes(mapKey)) problems.push(`mapEntry for ${mapKey}, which is not one of the choices (${choiceIds.join(', ')})`);
      entries.set(mapKey, Number(e.attrs.mappedValue));
    }
    weights = choiceIds.map((id) => entries.get(id) ?? fallback);
  }
  // What the section needs wins; without a template, the response processing template decides.
  const kind = meta.kind ?? processingTemplate(root) ?? (mapping ? 'weighted' : 'keyed');
  const scoring = kind === 'weighted' ? (weights ? { weights } : key ? { key } : {}) : key ? { key } : weights ? { weights } : {};
  return {
    identifier,
    problems,
    question: {
      id: identifier,
      ...(meta.section !== undefined ? { section: meta.section } : {}),
      ...(meta.topic !== undefined ? { topic: meta.topic } : {}),
      ...(meta.difficulty !== undefined ? { difficulty: meta.difficulty } : {}),
      stem,
      options,
      ...scoring,
    },
  };
}
