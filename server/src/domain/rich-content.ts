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
  // each once: an opening and a closing <script> are one problem to fix
  return [...new Set(problems)];
}

// What the exam client's auto-render (katex/contrib/auto-render) does, so that the check finds
// the formulas candidates will see: each text node alone (TeX split by a tag is not rendered),
// entities decoded, the elements it skips skipped, and a formula's end found past braces and
// escapes.
const SKIPPED = /<(pre|code|script|noscript|style|textarea|option)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const DELIMITERS = [
  { left: '\\(', right: '\\)', display: false },
  { left: '\\[', right: '\\]', display: true },
];
const KNOWN: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
/**
 * A text node's text: the entities a browser decodes. A named entity not in the short list is
 * one character that is not TeX syntax (&times;, &le;, &pi;), so a letter stands in for it.
 */
const decode = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);/gi, (_whole, name: string) => {
    if (name[0] !== '#') return KNOWN[name.toLowerCase()] ?? 'x';
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
  });

/** Where a formula ends: as auto-render finds it (an escaped character and anything in braces do not end it). */
function endOfMath(right: string, text: string, from: number): number {
  let braces = 0;
  for (let i = from; i < text.length; i++) {
    if (braces <= 0 && text.startsWith(right, i)) return i;
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '{') braces++;
    else if (c === '}') braces--;
  }
  return -1;
}

/** Marks what KaTeX draws in its error colour without throwing (\href, \url, \includegraphics: not trusted). */
const RED = '#0a0b0c';

/**
 * TeX between \( \) or \[ \] is what the exam client hands to KaTeX (throwOnError off): a
 * formula KaTeX cannot read, or draws in red, would reach the candidate as red source text, and
 * a \( or \[ never closed in its own text would show as written. Returns those problems, each
 * once; the bank check reports them as warnings, so a bank stored before this check still loads
 * (and verifies) as it did.
 */
export function checkTex(html: string): string[] {
  if (!html.includes('\\(') && !html.includes('\\[')) return [];
  const problems: string[] = [];
  const shown = (raw: string) => (raw.length > 80 ? `${raw.slice(0, 77)}...` : raw);
  for (const node of html.replace(SKIPPED, '<>').split(/<[^>]*>/)) {
    let text = decode(node);
    for (;;) {
      // the first opening delimiter of either kind
      const inline = text.indexOf(DELIMITERS[0].left);
      const display = text.indexOf(DELIMITERS[1].left);
      if (inline < 0 && display < 0) break;
      const d = display < 0 || (inline >= 0 && inline < display) ? DELIMITERS[0] : DELIMITERS[1];
      text = text.slice(d === DELIMITERS[0] ? inline : display);
      const end = endOfMath(d.right, text, d.left.length);
      if (end < 0) {
        problems.push(`${d.left} opens TeX that is never closed with ${d.right} in the same text`);
        break;
      }
      const raw = text.slice(0, end + d.right.length);
      const tex = /^\\begin{/.test(raw) ? raw : text.slice(d.left.length, end);
      try {
        if (katex.renderToString(tex, { displayMode: d.display, throwOnError: true, strict: 'ignore', errorColor: RED }).includes(RED)) {
          problems.push(`TeX ${shown(raw)} uses a command the exam client does not allow`);
        }
      } catch (err) {
        problems.push(`TeX ${shown(raw)} cannot be read: ${(err as { rawMessage?: string }).rawMessage ?? (err as Error).message}`);
      }
      text = text.slice(end + d.right.length);
    }
  }
  return [...new Set(problems)];
}

/** Plain text (CSV imports) made into rich content. */
export function textToRichContent(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped.replace(/\r?\n/g, '<br>');
}
