import { posix } from 'node:path';
import { isElement, textOf, type XElement, type XNode } from './xml.js';
import { MathConversionError, mathmlToTex } from './mathml.js';

/**
 * QTI item content (XHTML, MathML, package images) as Kaca rich content. The output is then
 * checked like any bank's content, so this only translates: images become data URIs, MathML
 * becomes TeX, and the presentational attributes QTI tools sprinkle everywhere are dropped.
 */
export interface ContentContext {
  /** package path of the item file: image paths are relative to it */
  itemPath: string;
  readFile(path: string): Uint8Array | undefined;
  /** items Kaca exported keep their text as is; others may carry $...$ TeX */
  fromKaca: boolean;
  problems: string[];
}

export const IMAGE_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', svg: 'image/svg+xml', webp: 'image/webp' };
const VOID = new Set(['br', 'hr', 'img']);
/** Attributes with no meaning for Kaca's renderer: dropped rather than refused. */
const DROPPED_ATTRS = new Set(['class', 'id', 'lang', 'dir', 'title', 'label', 'base', 'space']);
const QTI_ONLY = new Set(['feedbackInline', 'feedbackBlock', 'rubricBlock', 'templateInline', 'templateBlock', 'printedVariable', 'include', 'infoControl', 'stylesheet']);
/** Largest image kept inside a question: stems hold at most 200,000 characters. */
const MAX_IMAGE_BYTES = 140_000;

/** Text in the canonical spelling of rich content: & and < escaped, no-break space as &nbsp;. */
export const htmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\u00a0/g, '&nbsp;');
const htmlAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** $$...$$ and $...$ (only when it holds TeX: a command, ^, _ or braces) as the delimiters KaTeX is given. */
export function dollarsToTex(text: string): string {
  return text
    .replace(/\$\$([^$]+)\$\$/g, (_m, body: string) => `\\[${body}\\]`)
    .replace(/\$([^$\n]+)\$/g, (m, body: string) => (/\\[A-Za-z]|[\^_{}]/.test(body) ? `\\(${body}\\)` : m));
}

function imageSource(src: string, ctx: ContentContext): string | null {
  if (src.startsWith('data:') || src.startsWith('/media/')) return src;
  if (/^[a-z][a-z0-9+.-]*:/i.test(src)) {
    ctx.problems.push(`image ${src} is outside the package: a test hall has no internet, so put the image file in the package`);
    return null;
  }
  let path: string;
  try {
    path = posix.normalize(posix.join(posix.dirname(ctx.itemPath), decodeURIComponent(src.split(/[?#]/)[0])));
  } catch {
    path = '../';
  }
  const bytes = path.startsWith('../') ? undefined : ctx.readFile(path);
  if (!bytes) {
    ctx.problems.push(`image ${src} is not in the package`);
    return null;
  }
  const type = IMAGE_TYPES[posix.extname(path).slice(1).toLowerCase()];
  if (!type) {
    ctx.problems.push(`image ${src}: only PNG, JPEG, GIF, SVG and WebP images can be shown`);
    return null;
  }
  if (bytes.length > MAX_IMAGE_BYTES) {
    ctx.problems.push(`image ${src} is ${Math.ceil(bytes.length / 1024)} KB: an image kept inside a question can be at most ${MAX_IMAGE_BYTES / 1000} KB`);
    return null;
  }
  return `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
}

function attributes(attrs: Record<string, string>): string {
  return Object.entries(attrs)
    .filter(([k]) => !DROPPED_ATTRS.has(k) && !k.startsWith('xmlns'))
    .map(([k, v]) => ` ${k}="${htmlAttr(v)}"`)
    .join('');
}

function element(el: XElement, ctx: ContentContext, replace: ((el: XElement) => string | undefined) | undefined, inPre: boolean): string {
  const replaced = replace?.(el);
  if (replaced !== undefined) return replaced;
  if (el.tag === 'math') {
    try {
      const tex = htmlText(mathmlToTex(el));
      return el.attrs.display === 'block' ? `\\[${tex}\\]` : `\\(${tex}\\)`;
    } catch (e) {
      if (!(e instanceof MathConversionError)) throw e;
      ctx.problems.push(`a MathML formula cannot be turned into TeX (${e.message}): write it as TeX between \\( and \\)`);
      return '';
    }
  }
  if (QTI_ONLY.has(el.tag)) {
    ctx.problems.push(`<${el.tag}> is not supported: Kaca shows a stem and its options only`);
    return '';
  }
  if (el.tag === 'object') {
    const type = el.attrs.type ?? '';
    if (!type.startsWith('image/') || !el.attrs.data) {
      ctx.problems.push(`<object type="${type}"> is not supported: only images can be shown`);
      return '';
    }
    const src = imageSource(el.attrs.data, ctx);
    const alt = textOf(el).trim();
    const size = ['width', 'height'].filter((k) => el.attrs[k]).map((k) => ` ${k}="${htmlAttr(el.attrs[k])}"`).join('');
    return src ? `<img src="${htmlAttr(src)}"${alt ? ` alt="${htmlAttr(alt)}"` : ''}${size}>` : '';
  }
  let attrs = el.attrs;
  if (el.tag === 'img' && attrs.src !== undefined) {
    const src = imageSource(attrs.src, ctx);
    if (src === null) return '';
    attrs = { ...attrs, src };
  }
  const open = `<${el.tag}${attributes(attrs)}>`;
  if (VOID.has(el.tag)) return open;
  return `${open}${content(el.children, ctx, replace, inPre)}</${el.tag}>`;
}

/**
 * Serializes content nodes as rich content. `replace` lets the item reader put something else
 * where an element stands (the interaction becomes its prompt).
 */
export function content(nodes: XNode[], ctx: ContentContext, replace?: (el: XElement) => string | undefined, inPre = false): string {
  return nodes
    .map((n) => {
      if (isElement(n)) return element(n, ctx, replace, inPre || n.tag === 'pre');
      if (ctx.fromKaca) return htmlText(n.text);
      // Indentation of hand-written XML is not content: a line break and its spaces become one space.
      return htmlText(dollarsToTex(inPre ? n.text : n.text.replace(/[ \t]*\r?\n\s*/g, ' ')));
    })
    .join('');
}

const BLOCK = new Set(['p', 'div', 'ul', 'ol', 'table', 'pre', 'blockquote', 'hr']);

/** A QTI 2.1 prompt holds inline content only; as part of a stem it reads better as its own paragraph. */
export function promptContent(prompt: XElement, ctx: ContentContext): string {
  const html = content(prompt.children, ctx).trim();
  const hasBlock = prompt.children.some((c) => isElement(c) && BLOCK.has(c.tag));
  return ctx.fromKaca || hasBlock || !html ? html : `<p>${html}</p>`;
}
