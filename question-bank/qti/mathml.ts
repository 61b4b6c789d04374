import { childElements, isElement, textOf, type XElement } from './xml.js';

/**
 * Presentation MathML to TeX for KaTeX, which the exam client runs on \( \) and \[ \]. Covers
 * what item authors write in practice (tokens, scripts, fractions, roots, fences, over/under
 * marks, tables); anything else is refused by name so the importer can say which formula to
 * rewrite, rather than show a candidate half a formula.
 */
export class MathConversionError extends Error {}

const SYMBOLS: Record<string, string> = {
  α: '\\alpha', β: '\\beta', γ: '\\gamma', δ: '\\delta', ε: '\\varepsilon', ϵ: '\\epsilon', ζ: '\\zeta', η: '\\eta', θ: '\\theta',
  ι: '\\iota', κ: '\\kappa', λ: '\\lambda', μ: '\\mu', ν: '\\nu', ξ: '\\xi', π: '\\pi', ρ: '\\rho', σ: '\\sigma', τ: '\\tau',
  υ: '\\upsilon', φ: '\\varphi', ϕ: '\\phi', χ: '\\chi', ψ: '\\psi', ω: '\\omega', Γ: '\\Gamma', Δ: '\\Delta', Θ: '\\Theta',
  Λ: '\\Lambda', Ξ: '\\Xi', Π: '\\Pi', Σ: '\\Sigma', Φ: '\\Phi', Ψ: '\\Psi', Ω: '\\Omega',
  '×': '\\times', '÷': '\\div', '±': '\\pm', '∓': '\\mp', '·': '\\cdot', '⋅': '\\cdot', '∗': '\\ast', '−': '-', '–': '-',
  '≤': '\\le', '≥': '\\ge', '≠': '\\ne', '≈': '\\approx', '≡': '\\equiv', '∼': '\\sim', '≅': '\\cong', '∝': '\\propto',
  '∞': '\\infty', '→': '\\to', '←': '\\leftarrow', '↔': '\\leftrightarrow', '⇒': '\\Rightarrow', '⇐': '\\Leftarrow', '⇔': '\\Leftrightarrow',
  '∈': '\\in', '∉': '\\notin', '⊂': '\\subset', '⊆': '\\subseteq', '⊃': '\\supset', '⊇': '\\supseteq', '∪': '\\cup', '∩': '\\cap', '∅': '\\emptyset',
  '∑': '\\sum', '∏': '\\prod', '∫': '\\int', '∮': '\\oint', '√': '\\surd', '∂': '\\partial', '∇': '\\nabla', '°': '^\\circ', '∠': '\\angle',
  '⊥': '\\perp', '∥': '\\parallel', '…': '\\ldots', '⋯': '\\cdots', '∀': '\\forall', '∃': '\\exists', '¬': '\\neg', '∧': '\\land', '∨': '\\lor',
  '′': "'", '″': "''", '△': '\\triangle', '∘': '\\circ', '⌊': '\\lfloor', '⌋': '\\rfloor', '⌈': '\\lceil', '⌉': '\\rceil', '⟨': '\\langle', '⟩': '\\rangle',
  '{': '\\{', '}': '\\}', '%': '\\%', '#': '\\#', '&': '\\&', $: '\\$', _: '\\_', '~': '\\sim', '\\': '\\backslash', '^': '\\hat{}',
  // invisible times, function application and separator carry no ink
  '\u2061': '', '\u2062': '', '\u2063': '', '\u2064': '',
};
const FUNCTIONS = new Set(['sin', 'cos', 'tan', 'cot', 'sec', 'csc', 'log', 'ln', 'exp', 'lim', 'max', 'min', 'sup', 'inf', 'det', 'gcd', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'tanh', 'deg', 'dim', 'ker', 'mod']);
const LARGE_OPS = new Set(['∑', '∏', '∫', '∮', '⋃', '⋂', 'lim', 'max', 'min']);
const OVER_ACCENTS: Record<string, string> = { '¯': 'overline', '‾': 'overline', '_': 'overline', '^': 'hat', 'ˆ': 'hat', '~': 'tilde', '˜': 'tilde', '→': 'vec', '⃗': 'vec', '˙': 'dot', '.': 'dot', '︷': 'overbrace', '⏞': 'overbrace' };
const UNDER_ACCENTS: Record<string, string> = { '_': 'underline', '‾': 'underline', '¯': 'underline', '︸': 'underbrace', '⏟': 'underbrace' };

function symbols(text: string): string {
  return [...text].map((ch) => SYMBOLS[ch] ?? ch).join('');
}

/** A TeX argument: a lone character or command stands alone, anything longer gets braces. */
function group(tex: string): string {
  return /^(.|\\[A-Za-z]+)$/.test(tex) ? tex : `{${tex}}`;
}

function join(parts: string[]): string {
  // A command followed by a letter would fuse (\alpha x -> \alphax): separate every part.
  return parts.filter((p) => p !== '').join(' ');
}

function textTex(text: string): string {
  const escaped = text.replace(/[\\{}%#&$_~^]/g, (c) => ({ '\\': '\\textbackslash{}', '~': '\\textasciitilde{}', '^': '\\textasciicircum{}' })[c] ?? `\\${c}`);
  return `\\text{${escaped}}`;
}

function args(el: XElement, n: number): string[] {
  const kids = childElements(el);
  if (kids.length !== n) throw new MathConversionError(`<${el.tag}> needs ${n} children, found ${kids.length}`);
  return kids.map(tex);
}

function row(el: XElement): string {
  return join(childElements(el).map(tex));
}

function tex(el: XElement): string {
  switch (el.tag) {
    case 'math':
    case 'mrow':
    case 'mstyle':
    case 'mpadded':
      return row(el);
    case 'mphantom':
      return `\\phantom{${row(el)}}`;
    case 'semantics': {
      // A TeX annotation, when the authoring tool left one, is the author's own spelling.
      const annotation = childElements(el, 'annotation').find((a) => /tex/i.test(a.attrs.encoding ?? ''));
      if (annotation) return textOf(annotation).trim();
      const first = childElements(el).find((c) => c.tag !== 'annotation' && c.tag !== 'annotation-xml');
      return first ? tex(first) : '';
    }
    case 'mi': {
      const t = textOf(el).trim();
      if (t.length > 1 && FUNCTIONS.has(t)) return `\\${t}`;
      if ([...t].length > 1) return `\\mathrm{${symbols(t)}}`;
      return el.attrs.mathvariant === 'normal' && /[A-Za-z]/.test(t) ? `\\mathrm{${t}}` : symbols(t);
    }
    case 'mn':
      return symbols(textOf(el).trim());
    case 'mo': {
      const t = textOf(el).trim();
      if (FUNCTIONS.has(t)) return `\\${t}`;
      return symbols(t);
    }
    case 'mtext':
    case 'ms': {
      const t = textOf(el);
      return t.trim() ? textTex(el.tag === 'ms' ? `"${t}"` : t) : '\\ ';
    }
    case 'mspace':
      return '\\,';
    case 'msup': {
      const [base, sup] = args(el, 2);
      return `${group(base)}^${group(sup)}`;
    }
    case 'msub': {
      const [base, sub] = args(el, 2);
      return `${group(base)}_${group(sub)}`;
    }
    case 'msubsup': {
      const [base, sub, sup] = args(el, 3);
      return `${group(base)}_${group(sub)}^${group(sup)}`;
    }
    case 'mfrac': {
      const [num, den] = args(el, 2);
      return el.attrs.linethickness === '0' || el.attrs.linethickness === '0px' ? `\\binom{${num}}{${den}}` : `\\frac{${num}}{${den}}`;
    }
    case 'msqrt':
      return `\\sqrt{${row(el)}}`;
    case 'mroot': {
      const [base, index] = args(el, 2);
      return `\\sqrt[${index}]{${base}}`;
    }
    case 'mfenced': {
      const open = el.attrs.open ?? '(';
      const close = el.attrs.close ?? ')';
      const sep = (el.attrs.separators ?? ',').trim().charAt(0);
      const inner = childElements(el).map(tex).join(sep ? ` ${symbols(sep)} ` : ' ');
      return `\\left${fence(open)} ${inner} \\right${fence(close)}`;
    }
    case 'mover':
    case 'munder': {
      const [baseEl, markEl] = childElements(el);
      if (!baseEl || !markEl || childElements(el).length !== 2) throw new MathConversionError(`<${el.tag}> needs 2 children`);
      const base = tex(baseEl);
      const mark = textOf(markEl).trim();
      const accent = (el.tag === 'mover' ? OVER_ACCENTS : UNDER_ACCENTS)[mark];
      if (accent && markEl.tag === 'mo') return `\\${accent}{${base}}`;
      if (LARGE_OPS.has(textOf(baseEl).trim())) return `${group(base)}${el.tag === 'mover' ? '^' : '_'}${group(tex(markEl))}`;
      return `\\${el.tag === 'mover' ? 'overset' : 'underset'}{${tex(markEl)}}{${base}}`;
    }
    case 'munderover': {
      const [base, under, over] = args(el, 3);
      return `${group(base)}_${group(under)}^${group(over)}`;
    }
    case 'menclose': {
      const notation = (el.attrs.notation ?? 'longdiv').trim();
      if (notation === 'radical') return `\\sqrt{${row(el)}}`;
      if (notation === 'box' || notation === 'roundedbox') return `\\boxed{${row(el)}}`;
      if (notation === 'top') return `\\overline{${row(el)}}`;
      if (notation === 'bottom') return `\\underline{${row(el)}}`;
      if (notation === 'updiagonalstrike') return `\\cancel{${row(el)}}`;
      throw new MathConversionError(`<menclose notation="${notation}"> has no TeX form here`);
    }
    case 'mtable': {
      const rows = childElements(el).map((tr) => {
        if (tr.tag !== 'mtr') throw new MathConversionError(`<${tr.tag}> inside <mtable> has no TeX form here`);
        return childElements(tr).map((td) => (td.tag === 'mtd' ? row(td) : tex(td))).join(' & ');
      });
      return `\\begin{matrix} ${rows.join(' \\\\ ')} \\end{matrix}`;
    }
    case 'maction': {
      const first = childElements(el)[0];
      return first ? tex(first) : '';
    }
    default:
      throw new MathConversionError(`MathML <${el.tag}> has no TeX form here`);
  }
}

function fence(ch: string): string {
  if (ch === '') return '.';
  return { '{': '\\{', '}': '\\}', '⟨': '\\langle', '⟩': '\\rangle', '‖': '\\|', '⌊': '\\lfloor', '⌋': '\\rfloor', '⌈': '\\lceil', '⌉': '\\rceil' }[ch] ?? ch;
}

/** TeX for one <math> element, without delimiters; throws MathConversionError naming the part it cannot convert. */
export function mathmlToTex(math: XElement): string {
  if (math.children.some((c) => !isElement(c) && c.text.trim())) throw new MathConversionError('<math> holds bare text outside MathML token elements');
  return tex(math).replace(/\s+/g, ' ').trim();
}
