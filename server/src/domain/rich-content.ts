import katex from 'katex';

/**
 * Rich content is a small HTML subset (docs/bank-format.md). Banks are checked on import and
 * anything outside the subset is rejected, so the exam client can render stored content as is.
 */
const ALLOWED_TAGS = new Set([
  'p', 'br', 'b', 'strong', 'i', 'em', 'u', 'sup', 'sub', 'small', 'ul', 'ol', 'li', 'table', 'thead',
  'tbody', 'tr', 'th', 'td', 'img', 'code', 'pre', 'blockquote', 'hr', 'span', 'div',
]);
const ALLOWED_ATTRS: Record<string, Set<string>> = {
  img: new Set(['src', 'alt', 'width', 'height']),
  td: new Set(['colspan', 'rowspan']),
  th: new Set(['colspan', 'rowspan']),
};
const SAFE_SRC = /^(data:image\/(svg\+xml|png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+|\/media\/[A-Za-z0-9._\-/]+)$/;
const NUMERIC_ATTR = /^\d{1,4}$/;
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9]*)([^>]*)>/g;
const ATTR = /^\s*([A-Za-z_:][A-Za-z0-9_.:-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/;

/** Returns the problems found; an empty list means the content is safe to render. */
export function checkRichContent(html: string): string[] {
  const problems: string[] = [];
  if (/<!--|<!|<\?/.test(html)) problems.push('comments, doctype and processing instructions are not allowed');
  // A "<" that opens something other than an allowed tag is a tag we cannot vouch for.
  const stray = html.replace(TAG, '').match(/<[A-Za-z/]/);
  if (stray) problems.push(`malformed tag near "${stray[0]}"`);
  for (const m of html.matchAll(TAG)) {
    const [, closing, rawName, rawAttrs] = m;
    const name = rawName.toLowerCase();
    if (!ALLOWED_TAGS.has(name)) {
      problems.push(`tag <${name}> is not allowed`);
      continue;
    }
    if (closing) {
      if (rawAttrs.trim()) problems.push(`closing tag </${name}> has attributes`);
      continue;
    }
    let rest = rawAttrs.replace(/\/\s*$/, '');
    const seen = new Set<string>();
    while (rest.trim()) {
      const a = ATTR.exec(rest);
      if (!a) {
        problems.push(`cannot read the attributes of <${name}>`);
        break;
      }
      rest = rest.slice(a[0].length);
      const attr = a[1].toLowerCase();
      const value = a[2] ?? a[3] ?? a[4] ?? '';
      seen.add(attr);
      if (!ALLOWED_ATTRS[name]?.has(attr)) {
        problems.push(`attribute ${attr} is not allowed on <${name}>`);
      } else if (attr === 'src' && !SAFE_SRC.test(value)) {
        problems.push('img src must be a data:image URI or a /media/ path');
      } else if ((attr === 'width' || attr === 'height' || attr === 'colspan' || attr === 'rowspan') && !NUMERIC_ATTR.test(value)) {
        problems.push(`attribute ${attr} of <${name}> must be a number`);
      }
    }
    if (name === 'img' && !seen.has('src')) problems.push('img needs a src');
  }
  problems.push(...checkTex(html));
  // each once: an opening and a closing <script> are one problem to fix
  return [...new Set(problems)];
}

const TEX = /\\\(([\s\S]*?)\\\)|\\\[([\s\S]*?)\\\]/g;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const decode = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });

/**
 * TeX between \( \) or \[ \] is what the exam client hands to KaTeX. A formula KaTeX cannot
 * read would reach the candidate as red source text, so it is a problem of the question, found
 * here by the same KaTeX; so is a \( or \[ never closed, which would show as it is written.
 */
function checkTex(html: string): string[] {
  if (!html.includes('\\(') && !html.includes('\\[')) return [];
  const problems: string[] = [];
  for (const m of html.matchAll(TEX)) {
    const display = m[2] !== undefined;
    const tex = decode(display ? m[2] : m[1]);
    try {
      katex.renderToString(tex, { displayMode: display, throwOnError: true, strict: 'ignore' });
    } catch (err) {
      const why = (err as { rawMessage?: string }).rawMessage ?? (err as Error).message;
      problems.push(`TeX ${m[0].length > 80 ? `${m[0].slice(0, 77)}...` : m[0]} cannot be read: ${why}`);
    }
  }
  const rest = html.replace(TEX, '');
  if (rest.includes('\\(')) problems.push('\\( opens TeX that is never closed with \\)');
  if (rest.includes('\\[')) problems.push('\\[ opens TeX that is never closed with \\]');
  return problems;
}

/** Plain text (CSV imports) made into rich content. */
export function textToRichContent(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped.replace(/\r?\n/g, '<br>');
}
