import { decodeEntity } from './xml.js';

/**
 * Rich content (HTML) as XHTML for a QTI item: void tags closed, attributes quoted, HTML's named
 * entities as character references (XML knows only five), and tags left open closed. The input
 * has passed the rich-content check, so every tag is one of the small allowed set.
 */
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9]*)([^>]*)>/g;
const ATTR = /^\s*([A-Za-z_:][A-Za-z0-9_.:-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/;
const VOID = new Set(['br', 'hr', 'img']);
const XML_ENTITIES = new Set(['lt', 'gt', 'amp', 'quot', 'apos']);

function references(text: string): string {
  return text.replace(/&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|&/g, (m, name?: string) => {
    if (!name) return '&amp;';
    if (name[0] === '#' || XML_ENTITIES.has(name)) return m;
    const decoded = decodeEntity(name);
    return decoded === null ? `&amp;${name};` : [...decoded].map((c) => `&#${c.codePointAt(0)};`).join('');
  });
}

const xmlText = (text: string) => references(text).replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmlAttr = (value: string) => references(value).replace(/</g, '&lt;').replace(/"/g, '&quot;');

export function htmlToXhtml(html: string): string {
  let out = '';
  let last = 0;
  const open: string[] = [];
  for (const m of html.matchAll(TAG)) {
    out += xmlText(html.slice(last, m.index));
    last = m.index + m[0].length;
    const [, closing, rawName, rawAttrs] = m;
    const name = rawName.toLowerCase();
    if (closing) {
      const at = open.lastIndexOf(name);
      // A close with no open is dropped; closing an outer tag closes what is still open inside it.
      if (at >= 0) while (open.length > at) out += `</${open.pop()}>`;
      continue;
    }
    let rest = rawAttrs;
    const selfClosed = /\/\s*$/.test(rest);
    rest = rest.replace(/\/\s*$/, '');
    let attrs = '';
    for (let a = ATTR.exec(rest); a && rest.trim(); a = ATTR.exec(rest)) {
      rest = rest.slice(a[0].length);
      attrs += ` ${a[1].toLowerCase()}="${xmlAttr(a[2] ?? a[3] ?? a[4] ?? a[1])}"`;
    }
    if (VOID.has(name)) out += `<${name}${attrs}/>`;
    else if (selfClosed) out += `<${name}${attrs}></${name}>`;
    else {
      out += `<${name}${attrs}>`;
      open.push(name);
    }
  }
  out += xmlText(html.slice(last));
  while (open.length) out += `</${open.pop()}>`;
  return out;
}
