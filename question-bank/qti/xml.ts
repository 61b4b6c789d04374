import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * XML as a small ordered tree. QTI 3.0 spells QTI 2.1's names in kebab case with a qti- prefix
 * (qti-choice-interaction, max-choices); both are read into 2.1's camel case here, so the item
 * reader has one vocabulary. Namespace prefixes (m:math, imsmd:keyword) are dropped.
 */
export interface XElement {
  tag: string;
  attrs: Record<string, string>;
  children: XNode[];
}
export type XNode = XElement | { text: string };

export const isElement = (n: XNode): n is XElement => 'tag' in n;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  removeNSPrefix: true,
  // XHTML item bodies written by hand use &nbsp; and friends; XML alone would leave them raw.
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 200,
});

const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

type Ordered = Record<string, unknown>;

function convert(entries: Ordered[]): XNode[] {
  const out: XNode[] = [];
  for (const entry of entries) {
    if ('#text' in entry) {
      out.push({ text: String(entry['#text']) });
      continue;
    }
    const name = Object.keys(entry).find((k) => k !== ':@');
    if (!name) continue;
    const rawAttrs = (entry[':@'] ?? {}) as Record<string, unknown>;
    const qti3 = name.startsWith('qti-');
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(rawAttrs)) attrs[qti3 ? camel(k) : k] = String(v);
    out.push({ tag: qti3 ? camel(name.slice(4)) : name, attrs, children: convert(entry[name] as Ordered[]) });
  }
  return out;
}

/** Parses a document; a malformed one gives the parser's message with its line. */
export function parseXml(text: string): { root: XElement; qti3: boolean } | { error: string } {
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { error: `not well-formed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})` };
  const entries = parser.parse(text) as Ordered[];
  const root = convert(entries).find(isElement);
  if (!root) return { error: 'the XML document has no root element' };
  const rootName = Object.keys(entries.find((e) => !('#text' in e)) ?? {}).find((k) => k !== ':@') ?? '';
  return { root, qti3: rootName.startsWith('qti-') };
}

export const childElements = (el: XElement, tag?: string): XElement[] => el.children.filter(isElement).filter((c) => tag === undefined || c.tag === tag);
export const firstChild = (el: XElement, tag: string): XElement | undefined => childElements(el, tag)[0];

export function descendants(el: XElement, match: (e: XElement) => boolean, out: XElement[] = []): XElement[] {
  for (const c of childElements(el)) {
    if (match(c)) out.push(c);
    descendants(c, match, out);
  }
  return out;
}

export function textOf(node: XNode): string {
  return isElement(node) ? node.children.map(textOf).join('') : node.text;
}

/** Escapes text for XML and for the HTML subset alike. */
export const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
export const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** Decodes one entity reference (without & and ;) the way the parser would; null when unknown. */
const entityCache = new Map<string, string | null>();
export function decodeEntity(name: string): string | null {
  let v = entityCache.get(name);
  if (v === undefined) {
    const parsed = parser.parse(`<x>&${name};</x>`) as Ordered[];
    const text = ((parsed[0]?.x as Ordered[] | undefined)?.[0]?.['#text'] as string | undefined) ?? '';
    v = text && text !== `&${name};` ? text : null;
    entityCache.set(name, v);
  }
  return v;
}
