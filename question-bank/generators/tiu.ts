/**
 * Deterministic generator of the demo TIU bank (question-bank/demo/tiu.json).
 *
 *   npx tsx question-bank/generators/tiu.ts
 *
 * 120 TIU questions in six topics: deret-angka, aritmetika, soal-cerita,
 * perbandingan-kuantitatif, verbal (hand-written data) and figural (generated SVG).
 * Node built-ins only; a fixed-seed mulberry32 PRNG makes every run byte-identical.
 * Every key is verified in code (independently of the way it was computed where possible),
 * distractors are checked to be distinct from the key and from each other, and all rich
 * content is checked against the allowed HTML subset. Any violation throws.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------------------------------------
// PRNG and small helpers

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rng = mulberry32(0x7a1c2024);
/** integer in [lo, hi] */
const randInt = (lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
function shuffle<T>(xs: readonly T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(`generator check failed: ${msg}`);
}

const gcd = (a: number, b: number): number => {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
};
const lcm = (a: number, b: number): number => (a / gcd(a, b)) * b;

/** Escapes text for the rich-content HTML subset (also used inside TeX). */
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const escAttr = (s: string): string => esc(s).replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Indonesian thousands separator: 120000 -> "120.000". */
function num(n: number): string {
  assert(Number.isSafeInteger(n), `num(${n}) needs an integer`);
  const s = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return n < 0 ? `-${s}` : s;
}
const rp = (n: number): string => `Rp${num(n)}`;
/** inline TeX */
const tex = (s: string): string => `\\(${s}\\)`;

// ---------------------------------------------------------------------------------------------
// Exact fractions

class Frac {
  readonly n: number;
  readonly d: number;
  constructor(n: number, d = 1) {
    assert(d !== 0, 'fraction with denominator 0');
    assert(Number.isSafeInteger(n) && Number.isSafeInteger(d), `fraction ${n}/${d} not integral`);
    const g = gcd(n, d) || 1;
    const s = d < 0 ? -1 : 1;
    this.n = (s * n) / g;
    this.d = (s * d) / g;
  }
  add(o: Frac): Frac { return new Frac(this.n * o.d + o.n * this.d, this.d * o.d); }
  sub(o: Frac): Frac { return new Frac(this.n * o.d - o.n * this.d, this.d * o.d); }
  mul(o: Frac): Frac { return new Frac(this.n * o.n, this.d * o.d); }
  div(o: Frac): Frac { assert(o.n !== 0, 'division by zero'); return new Frac(this.n * o.d, this.d * o.n); }
  cmp(o: Frac): number { return Math.sign(this.n * o.d - o.n * this.d); }
  eq(o: Frac): boolean { return this.n === o.n && this.d === o.d; }
  isInt(): boolean { return this.d === 1; }
  key(): string { return `${this.n}/${this.d}`; }
  /** TeX as a mixed number when improper, e.g. 2\frac{1}{30} (positive fractions only) */
  texMixed(): string {
    if (this.d === 1 || this.n < this.d) return this.tex();
    assert(this.n > 0, 'mixed number of a negative fraction');
    return `${Math.floor(this.n / this.d)}\\frac{${this.n % this.d}}{${this.d}}`;
  }
  /** TeX without delimiters, e.g. \frac{23}{20} */
  tex(): string {
    if (this.d === 1) return String(this.n);
    return `${this.n < 0 ? '-' : ''}\\frac{${Math.abs(this.n)}}{${this.d}}`;
  }
}
const F = (n: number, d = 1): Frac => new Frac(n, d);

/**
 * A tiny independent evaluator for the arithmetic items: + - * / ^ ( ) and sqrt(...), over
 * exact fractions with the usual precedence. Used to re-check keys computed directly.
 */
function evaluate(expr: string): Frac {
  const toks = expr.match(/\d+|sqrt|[-+*/^()]/g) ?? [];
  assert(toks.join('') === expr.replace(/\s+/g, ''), `cannot tokenize "${expr}"`);
  let i = 0;
  const peek = () => toks[i];
  const eat = (t?: string) => {
    const x = toks[i++];
    if (t !== undefined) assert(x === t, `expected ${t} in "${expr}"`);
    return x;
  };
  const primary = (): Frac => {
    const t = eat();
    if (t === '(') { const v = sum(); eat(')'); return v; }
    if (t === 'sqrt') {
      eat('(');
      const v = sum();
      eat(')');
      assert(v.isInt() && v.n >= 0, 'sqrt of non-integer');
      const r = Math.round(Math.sqrt(v.n));
      assert(r * r === v.n, `sqrt(${v.n}) is not exact`);
      return F(r);
    }
    if (t === '-') return F(0).sub(power());
    assert(/^\d+$/.test(t), `unexpected token ${t}`);
    return F(Number(t));
  };
  const power = (): Frac => {
    const b = primary();
    if (peek() === '^') {
      eat('^');
      const e = power();
      assert(e.isInt() && e.n >= 0, 'bad exponent');
      let r = F(1);
      for (let k = 0; k < e.n; k++) r = r.mul(b);
      return r;
    }
    return b;
  };
  const product = (): Frac => {
    let v = power();
    while (peek() === '*' || peek() === '/') v = eat() === '*' ? v.mul(power()) : v.div(power());
    return v;
  };
  const sum = (): Frac => {
    let v = product();
    while (peek() === '+' || peek() === '-') v = eat() === '+' ? v.add(product()) : v.sub(product());
    return v;
  };
  const v = sum();
  assert(i === toks.length, `trailing tokens in "${expr}"`);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Rich-content and SVG checks (mirror of docs/bank-format.md, stricter: the brief's tag list)

const ALLOWED_TAGS = new Set(['p', 'br', 'b', 'strong', 'i', 'em', 'u', 'sup', 'sub', 'table', 'tr', 'td', 'th', 'img']);
const IMG_ATTRS = new Set(['src', 'alt', 'width', 'height']);

function checkHtml(html: string, where: string): void {
  const TAG = /<(\/?)([A-Za-z][A-Za-z0-9]*)([^>]*)>/g;
  assert(!/<[^A-Za-z/]/.test(html) && !/<\/?[A-Za-z][^>]*</.test(html), `${where}: stray "<" (escape as &lt;)`);
  for (const m of html.matchAll(TAG)) {
    const [, closing, name, attrs] = m;
    assert(ALLOWED_TAGS.has(name), `${where}: tag <${name}> not allowed`);
    if (closing) { assert(!attrs.trim(), `${where}: attributes on closing tag`); continue; }
    const rest = attrs.replace(/\/\s*$/, '');
    const found = [...rest.matchAll(/\s*([a-z]+)="([^"]*)"/g)];
    assert(found.map((a) => a[0]).join('') === rest.replace(/\s+$/, ''), `${where}: unreadable attributes on <${name}>`);
    for (const [, attr, value] of found) {
      assert(name === 'img' && IMG_ATTRS.has(attr), `${where}: attribute ${attr} not allowed on <${name}>`);
      if (attr === 'src') assert(/^data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+$/.test(value), `${where}: bad img src`);
      if (attr === 'width' || attr === 'height') assert(/^\d{1,4}$/.test(value), `${where}: bad ${attr}`);
    }
    if (name === 'img') assert(found.some((a) => a[1] === 'src') && found.some((a) => a[1] === 'alt'), `${where}: img needs src and alt`);
  }
  const text = html.replace(TAG, '');
  assert(!/&(?!(amp|lt|gt|quot);)/.test(text), `${where}: unescaped "&"`);
}

function checkSvg(svg: string, where: string): void {
  assert(svg.length < 2048, `${where}: SVG is ${svg.length} bytes (limit 2 KB)`);
  assert(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+" viewBox="0 0 \d+ \d+">/.test(svg), `${where}: SVG root`);
  assert(svg.endsWith('</svg>'), `${where}: SVG not closed`);
  assert(!/script|href|url\(|foreignObject|\bon[a-z]+=/i.test(svg), `${where}: SVG has active or external content`);
  // well-formedness: every element closed or self-closed, properly nested
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (m[1]) assert(stack.pop() === m[2], `${where}: SVG nesting at </${m[2]}>`);
    else if (!m[3]) stack.push(m[2]);
  }
  assert(stack.length === 0, `${where}: SVG unclosed elements`);
}

const svgUri = (svg: string): string => `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;

// ---------------------------------------------------------------------------------------------
// Questions

type Difficulty = 'easy' | 'medium' | 'hard';
interface BankQuestion {
  id: string;
  section: 'TIU';
  topic: string;
  difficulty: Difficulty;
  stem: string;
  options: string[];
  key: 'A' | 'B' | 'C' | 'D' | 'E';
}
/** An option: its HTML and a canonical value used for the distinctness checks. */
interface Opt { html: string; val: string }

const LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;

class Topic {
  readonly questions: BankQuestion[] = [];
  private readonly positions: number[];
  constructor(readonly code: string, readonly topic: string, readonly count: number) {
    // key positions: each letter equally often (count is a multiple of 5), order from the PRNG
    assert(count % 5 === 0, 'topic count must be a multiple of 5');
    this.positions = shuffle(Array.from({ length: count }, (_, i) => i % 5));
  }
  add(difficulty: Difficulty, stem: string, key: Opt, distractors: Opt[]): void {
    const id = `TIU-${this.code}-${String(this.questions.length + 1).padStart(3, '0')}`;
    assert(this.questions.length < this.count, `${this.topic}: more than ${this.count} questions`);
    assert(distractors.length === 4, `${id}: needs 4 distractors, got ${distractors.length}`);
    const all = [key, ...distractors];
    assert(new Set(all.map((o) => o.val)).size === 5, `${id}: options not distinct in value: ${all.map((o) => o.val).join(' | ')}`);
    assert(new Set(all.map((o) => o.html)).size === 5, `${id}: options not distinct in text`);
    assert(/^<p>[\s\S]*<\/p>$/.test(stem), `${id}: stem must be in <p>...</p>`);
    checkHtml(stem, `${id} stem`);
    all.forEach((o, i) => { assert(o.html.trim().length > 0, `${id}: empty option`); checkHtml(o.html, `${id} option ${i}`); });
    const pos = this.positions[this.questions.length];
    const others = shuffle(distractors);
    const options = [...others.slice(0, pos), key, ...others.slice(pos)].map((o) => o.html);
    assert(options[pos] === key.html, `${id}: key placement`);
    this.questions.push({ id, section: 'TIU', topic: this.topic, difficulty, stem, options, key: LETTERS[pos] });
  }
  done(): BankQuestion[] {
    assert(this.questions.length === this.count, `${this.topic}: ${this.questions.length} of ${this.count} questions`);
    return this.questions;
  }
}

const intOpt = (n: number, fmt: (n: number) => string = num): Opt => ({ html: esc(fmt(n)), val: String(n) });
const fracOpt = (f: Frac): Opt => ({ html: tex(f.tex()), val: f.key() });
const fracMixedOpt = (f: Frac): Opt => ({ html: tex(f.texMixed()), val: f.key() });
const textOpt = (s: string): Opt => ({ html: esc(s), val: s.toLowerCase() });

/**
 * Four integer distractors: first the plausible mistakes (in order, up to 3), then values
 * key + k*step. All distinct, different from the key and within [min, max].
 */
function intDistractors(key: number, plausible: number[], step: number, min = 1, max = Number.MAX_SAFE_INTEGER): number[] {
  const out: number[] = [];
  const ok = (x: number) => Number.isSafeInteger(x) && x >= min && x <= max && x !== key && !out.includes(x);
  for (const x of plausible) if (out.length < 3 && ok(x)) out.push(x);
  for (const k of shuffle([-3, -2, -1, 1, 2, 3, 4, -4, 5, 6])) if (out.length < 4 && ok(key + k * step)) out.push(key + k * step);
  for (let k = 1; out.length < 4 && k < 1000; k++) for (const x of [key + k * step, key - k * step]) if (out.length < 4 && ok(x)) out.push(x);
  assert(out.length === 4, `cannot find 4 distractors for ${key}`);
  return out;
}

function fracDistractors(key: Frac, plausible: Frac[], unit: Frac): Frac[] {
  const out: Frac[] = [];
  const ok = (x: Frac) => x.n > 0 && !x.eq(key) && !out.some((y) => y.eq(x));
  for (const x of plausible) if (out.length < 3 && ok(x)) out.push(x);
  for (const k of shuffle([-2, -1, 1, 2, 3])) { const x = key.add(unit.mul(F(k))); if (out.length < 4 && ok(x)) out.push(x); }
  for (let k = 4; out.length < 4; k++) { const x = key.add(unit.mul(F(k))); if (ok(x)) out.push(x); }
  return out;
}

// =============================================================================================
// 1. deret-angka (20)

const isArith = (t: number[]) => t.every((x, i) => i === 0 || x - t[i - 1] === t[1] - t[0]);
const diffs = (t: number[]) => t.slice(1).map((x, i) => x - t[i]);

function deretAngka(): BankQuestion[] {
  const T = new Topic('DER', 'deret-angka', 20);
  type Kind = 'arith' | 'geom' | 'alt' | 'square' | 'fib' | 'second' | 'muladd' | 'cube';
  const plan: [Kind, Difficulty, boolean][] = [
    // kind, difficulty, missing term in the middle (true) or next term (false)
    ['arith', 'easy', false], ['arith', 'easy', false], ['arith', 'medium', false], ['arith', 'easy', true],
    ['geom', 'easy', false], ['geom', 'medium', false], ['geom', 'medium', true],
    ['alt', 'medium', false], ['alt', 'medium', false], ['alt', 'hard', false], ['alt', 'hard', true],
    ['square', 'medium', false], ['square', 'medium', false], ['cube', 'hard', false],
    ['fib', 'medium', false], ['fib', 'medium', false], ['fib', 'hard', false],
    ['second', 'hard', false], ['second', 'medium', false],
    ['muladd', 'hard', false],
  ];
  for (const [kind, difficulty, middle] of plan) {
    let t: number[] = [];
    let verify: (s: number[]) => boolean;
    let step = 1;
    const extra: number[] = [];
    switch (kind) {
      case 'arith': {
        const a = randInt(2, 25);
        const d = difficulty === 'medium' ? -randInt(3, 9) : randInt(3, 12);
        const a0 = d < 0 ? a + 10 * -d : a;
        t = Array.from({ length: 6 }, (_, i) => a0 + i * d);
        verify = (s) => isArith(s);
        step = Math.abs(d);
        extra.push(t[5] + 1, t[5] - 1);
        break;
      }
      case 'geom': {
        const r = pick([2, 3]);
        const a = randInt(2, 5);
        const down = difficulty === 'medium' && !middle; // decreasing: ratio 1/r
        t = Array.from({ length: 6 }, (_, i) => a * r ** i);
        if (down) t.reverse();
        verify = (s) => s.every((x, i) => i < 2 || x * s[i - 2] === s[i - 1] * s[i - 1]) && s[0] !== s[1];
        step = Math.max(1, Math.round(Math.abs(t[5] - t[4]) / 2));
        extra.push(t[4] + (t[4] - t[3]), down ? t[4] - t[5] : t[4] + t[5]);
        break;
      }
      case 'alt': {
        const a = randInt(1, 9), d1 = randInt(2, 5);
        const b = randInt(10, 30), d2 = pick([-2, 3, 4, 5, 6].filter((x) => x !== d1));
        const len = middle ? 9 : pick([7, 8]);
        t = Array.from({ length: len }, (_, i) => (i % 2 === 0 ? a + (i / 2) * d1 : b + ((i - 1) / 2) * d2));
        verify = (s) => isArith(s.filter((_, i) => i % 2 === 0)) && isArith(s.filter((_, i) => i % 2 === 1)) && !isArith(s);
        step = 1;
        const last = t.length - 1;
        // continuing the other sub-series, or skipping a step of the right one
        extra.push(t[last - 1] + (t[last - 1] - t[last - 3]), t[last] + (t[last] - t[last - 2]), t[last] + 1);
        break;
      }
      case 'square': {
        const k = randInt(2, 6);
        const c = difficulty === 'medium' && T.questions.length % 2 === 0 ? pick([1, -1, 2, 3]) : 0;
        t = Array.from({ length: 6 }, (_, i) => (k + i) ** 2 + c);
        verify = (s) => s.every((x, i) => Math.sqrt(x - c) === k + i);
        step = 2;
        extra.push(t[4] + (t[4] - t[3]), (k + 5) ** 2 + c + 1, (k + 5) ** 2 - c);
        break;
      }
      case 'cube': {
        const k = randInt(1, 3);
        t = Array.from({ length: 6 }, (_, i) => (k + i) ** 3);
        verify = (s) => s.every((x, i) => Math.round(Math.cbrt(x)) ** 3 === x && Math.round(Math.cbrt(x)) === k + i);
        step = 9;
        extra.push(t[4] + (t[4] - t[3]), (k + 5) ** 2);
        break;
      }
      case 'fib': {
        const a = randInt(1, 6), b = randInt(a + 1, a + 6);
        t = [a, b];
        while (t.length < 7) t.push(t[t.length - 1] + t[t.length - 2]);
        verify = (s) => s.every((x, i) => i < 2 || x === s[i - 1] + s[i - 2]);
        step = 1;
        extra.push(t[5] + (t[5] - t[4]), t[5] * 2, t[5] + t[3]);
        break;
      }
      case 'second': {
        const a = randInt(2, 20), d = randInt(1, 5), e = randInt(2, 4);
        t = [a];
        for (let i = 0; i < 5; i++) t.push(t[i] + d + i * e);
        verify = (s) => isArith(diffs(s)) && !isArith(s);
        step = e;
        extra.push(t[4] + (t[4] - t[3]), t[4] + (t[4] - t[3]) + 2 * e);
        break;
      }
      case 'muladd': {
        const m = pick([2, 3]), c = pick([1, -1, 2]);
        t = [randInt(2, 4)];
        while (t.length < 6) t.push(t[t.length - 1] * m + c);
        verify = (s) => s.every((x, i) => i === 0 || x === s[i - 1] * m + c);
        step = 3;
        extra.push(t[4] * m, t[4] + (t[4] - t[3]), t[4] * m + 2 * c);
        break;
      }
    }
    assert(t.every((x) => x > 0), `deret ${kind}: non-positive term ${t.join(',')}`);
    const hidden = middle ? randInt(2, t.length - 3) : t.length - 1;
    const key = t[hidden];
    // independent check: the full series (answer in place) follows the rule ...
    assert(verify!(t), `deret ${kind}: series ${t.join(',')} fails its rule`);
    // ... and the same check with any distractor in place fails
    // a missing middle term: the mean of its neighbours (right for arithmetic, a trap otherwise), near misses
    const mid = (t[hidden - 1] + t[hidden + 1]) / 2;
    const ds = hidden === t.length - 1 ? intDistractors(key, extra, step) : intDistractors(key, [mid, key + 1, key - 2, key + 2], 1);
    for (const d of ds) assert(!verify!(t.map((x, i) => (i === hidden ? d : x))), `deret ${kind}: distractor ${d} also fits`);
    const shown = t.map((x, i) => (i === hidden ? '...' : String(x)));
    const stem = middle
      ? `<p>Bilangan yang tepat untuk mengisi titik-titik pada deret ${shown.join(', ')} adalah ...</p>`
      : `<p>Angka berikutnya dari deret ${shown.slice(0, -1).join(', ')}, ... adalah ...</p>`;
    T.add(difficulty, stem, intOpt(key, String), ds.map((d) => intOpt(d, String)));
  }
  return T.done();
}

// =============================================================================================
// 2. aritmetika (20): 14 with TeX, 6 in plain text

function aritmetika(): BankQuestion[] {
  const T = new Topic('ARI', 'aritmetika', 20);
  /** Checks a directly computed key against the independent evaluator. */
  const check = (expr: string, key: Frac) => {
    const v = evaluate(expr);
    assert(v.eq(key), `aritmetika: ${expr} = ${v.key()}, computed ${key.key()}`);
  };
  const properFrac = (dens: number[]): [number, number] => {
    const d = pick(dens);
    let n = randInt(1, d - 1);
    while (gcd(n, d) !== 1) n = randInt(1, d - 1);
    return [n, d];
  };
  const hasil = (t: string) => `<p>Hasil dari ${tex(t)} adalah ...</p>`;

  // fraction addition (3)
  for (const difficulty of ['easy', 'medium', 'medium'] as Difficulty[]) {
    const dens = difficulty === 'easy' ? [2, 3, 4, 5, 6] : [4, 5, 6, 7, 8, 9, 10, 12];
    let [a, b] = properFrac(dens), [c, d] = properFrac(dens);
    while (d === b) [c, d] = properFrac(dens);
    const key = F(a, b).add(F(c, d));
    // direct integer check: key = (ad + cb) / bd reduced
    assert(key.n * b * d === (a * d + c * b) * key.d && gcd(key.n, key.d) === 1, 'frac add');
    check(`${a}/${b}+${c}/${d}`, key);
    const wrong = fracDistractors(key, [F(a + c, b + d), F(a * c, b * d), F(a * d + c * b, b + d), F(a, b).sub(F(c, d))], F(1, lcm(b, d)));
    T.add(difficulty, hasil(`\\frac{${a}}{${b}} + \\frac{${c}}{${d}}`), fracOpt(key), wrong.map(fracOpt));
  }
  // fraction subtraction (2): a/b - c/d > 0, second one with a whole number part
  for (const difficulty of ['easy', 'hard'] as Difficulty[]) {
    let a: number, b: number, c: number, d: number;
    do { [a, b] = properFrac([3, 4, 5, 6, 7, 8, 9]); [c, d] = properFrac([2, 3, 4, 5, 6, 10, 12]); } while (b === d || F(a, b).cmp(F(c, d)) <= 0);
    const w = difficulty === 'hard' ? randInt(2, 4) : 0;
    const key = F(w).add(F(a, b)).sub(F(c, d));
    assert(key.n * b * d === (w * b * d + a * d - c * b) * key.d, 'frac sub');
    check(`${w}+${a}/${b}-${c}/${d}`, key);
    const wrong = fracDistractors(key, [F(w).add(F(a, b)).add(F(c, d)), F(w).add(F(a - c, Math.abs(b - d))), F(w).add(F(a * d - c * b, b + d)), F(w - 1).add(F(a, b)).sub(F(c, d))], F(1, lcm(b, d)));
    const t = w ? `${w}\\frac{${a}}{${b}} - \\frac{${c}}{${d}}` : `\\frac{${a}}{${b}} - \\frac{${c}}{${d}}`;
    const opt = w ? fracMixedOpt : fracOpt; // a mixed-number question gets mixed-number options
    T.add(difficulty, hasil(t), opt(key), wrong.map(opt));
  }
  // fraction multiplication (2) and division (2)
  for (const [op, difficulty] of [['*', 'easy'], ['*', 'medium'], ['/', 'medium'], ['/', 'hard']] as [string, Difficulty][]) {
    let [a, b] = properFrac([3, 4, 5, 6, 7, 8, 9]), [c, d] = properFrac([3, 4, 5, 6, 7, 8, 9, 10]);
    while (d === b || (op === '/' && F(a, b).eq(F(c, d)))) [c, d] = properFrac([3, 4, 5, 6, 7, 8, 9, 10]);
    if (difficulty === 'hard') a += 2 * b; // improper dividend
    const key = op === '*' ? F(a, b).mul(F(c, d)) : F(a, b).div(F(c, d));
    assert(op === '*' ? key.n * b * d === a * c * key.d : key.n * b * c === a * d * key.d, 'frac mul/div');
    check(op === '*' ? `${a}/${b}*(${c}/${d})` : `(${a}/${b})/(${c}/${d})`, key);
    const plausible = op === '*'
      ? [F(a, b).div(F(c, d)), F(a + c, b + d), F(a * c, b + d), key.mul(F(2))]
      : [F(a, b).mul(F(c, d)), F(b * c, a * d), F(a, b).sub(F(c, d)), F(a * c, b * d).add(F(1))];
    const wrong = fracDistractors(key, plausible, F(1, key.d));
    const sym = op === '*' ? '\\times' : '\\div';
    T.add(difficulty, hasil(`\\frac{${a}}{${b}} ${sym} \\frac{${c}}{${d}}`), fracOpt(key), wrong.map(fracOpt));
  }
  // mixed precedence a/b + c/d x e/f (1)
  {
    const [a, b] = properFrac([2, 3, 4, 5, 6]);
    let [c, d] = properFrac([3, 4, 5, 7]);
    const [e, f] = properFrac([2, 3, 5, 6]);
    while (d === b) [c, d] = properFrac([3, 4, 5, 7]);
    const key = F(a, b).add(F(c, d).mul(F(e, f)));
    check(`${a}/${b}+${c}/${d}*(${e}/${f})`, key);
    const wrong = fracDistractors(key, [F(a, b).add(F(c, d)).mul(F(e, f)), F(a, b).mul(F(c, d)).add(F(e, f)), F(a + c * e, b + d * f)], F(1, key.d));
    T.add('hard', hasil(`\\frac{${a}}{${b}} + \\frac{${c}}{${d}} \\times \\frac{${e}}{${f}}`), fracOpt(key), wrong.map(fracOpt));
  }
  // powers and roots (2)
  {
    const r = randInt(11, 16), p = randInt(3, 5), q = randInt(4, 6);
    const key = r + p ** 3 - 2 ** q;
    check(`sqrt(${r * r})+${p}^3-2^${q}`, F(key));
    const wrong = intDistractors(key, [r * r + p ** 3 - 2 ** q, r + 3 * p - 2 * q, r + p ** 3 + 2 ** q], 2);
    T.add('medium', hasil(`\\sqrt{${r * r}} + ${p}^3 - 2^{${q}}`), intOpt(key, String), wrong.map((x) => intOpt(x, String)));
    const s = randInt(4, 9), u = randInt(2, 4);
    check(`sqrt(${s}^2*${u}^4)`, F(s * u * u));
    const wrong2 = intDistractors(s * u * u, [s * u * 2, s * s * u, s + u * u], s);
    T.add('hard', hasil(`\\sqrt{${s}^2 \\times ${u}^4}`), intOpt(s * u * u, String), wrong2.map((x) => intOpt(x, String)));
  }
  // order of operations (1): a : b + c x d - e
  {
    const b = randInt(3, 8), a = b * randInt(4, 12), c = randInt(3, 9), d = randInt(4, 9), e = randInt(2, 15);
    const key = a / b + c * d - e;
    check(`${a}/${b}+${c}*${d}-${e}`, F(key));
    const wrong = intDistractors(key, [(a / b + c) * d - e, a / b + c * (d - e), a / (b + c) * d - e, key + 2 * e], 3);
    T.add('easy', hasil(`${a} \\div ${b} + ${c} \\times ${d} - ${e}`), intOpt(key, String), wrong.map((x) => intOpt(x, String)));
  }
  // percentage in TeX (1)
  {
    const pct = pick([15, 35, 45, 65]), base = 20 * randInt(6, 30);
    const key = (pct * base) / 100;
    assert(Number.isInteger(key), 'percent integral');
    check(`${pct}/100*${base}`, F(key));
    const wrong = intDistractors(key, [((100 - pct) * base) / 100, (pct * base) / 10, key + pct], pct % 10 === 0 ? 10 : 5);
    T.add('easy', `<p>Nilai dari ${tex(`${pct}\\%`)} dari ${tex(String(base))} adalah ...</p>`, intOpt(key, String), wrong.map((x) => intOpt(x, String)));
  }
  // ---- plain text (6)
  {
    // percentage of a number
    const pct = pick([12, 18, 24, 36]), base = 25 * randInt(8, 40);
    const key = (pct * base) / 100;
    assert(Number.isInteger(key), 'pct');
    check(`${pct}*${base}/100`, F(key));
    T.add('easy', `<p>${pct}% dari ${num(base)} adalah ...</p>`, intOpt(key), intDistractors(key, [(pct * base) / 10, key + pct, ((100 - pct) * base) / 100], pct).map((x) => intOpt(x)));
  }
  {
    // percentage change
    const old = 1000 * randInt(20, 80), pct = pick([15, 20, 25, 12]);
    const nu = (old * (100 + pct)) / 100;
    assert(Number.isInteger(nu) && ((nu - old) * 100) / old === pct, 'pct change');
    check(`(${nu}-${old})*100/${old}`, F(pct));
    const wrong = intDistractors(pct, [Math.round(((nu - old) * 100) / nu), pct + 5, (nu - old) / 1000], 5);
    T.add('medium', `<p>Harga suatu barang naik dari ${rp(old)} menjadi ${rp(nu)}. Persentase kenaikan harga barang tersebut adalah ...</p>`, intOpt(pct, (x) => `${x}%`), wrong.map((x) => intOpt(x, (y) => `${y}%`)));
  }
  {
    // decimal times integer: 0,25 x 48 etc.
    const [dec, n, dd] = pick([['0,25', 1, 4], ['0,75', 3, 4], ['0,125', 1, 8], ['1,5', 3, 2]] as [string, number, number][]);
    const base = dd * randInt(11, 40);
    const key = (n * base) / dd;
    const decParts = dec.split(',');
    check(`(${decParts[0]}*${10 ** decParts[1].length}+${decParts[1]})/${10 ** decParts[1].length}*${base}`, F(key));
    T.add('easy', `<p>Hasil dari ${dec} × ${base} adalah ...</p>`, intOpt(key, String), intDistractors(key, [key * 10, key + n, Math.round(base / dd)], n).map((x) => intOpt(x, String)));
  }
  {
    // fraction of a quantity, in words
    const words: Record<string, string> = { '2/3': 'dua pertiga', '3/5': 'tiga perlima', '3/4': 'tiga perempat', '5/8': 'lima perdelapan' };
    const fr = pick(Object.keys(words));
    const [n, d] = fr.split('/').map(Number);
    const base = d * randInt(15, 60);
    const key = (n * base) / d;
    check(`${n}/${d}*${base}`, F(key));
    T.add('easy', `<p>Nilai dari ${words[fr]} bagian dari ${num(base)} adalah ...</p>`, intOpt(key), intDistractors(key, [base / d, ((d - n) * base) / d, key + n], d).map((x) => intOpt(x)));
  }
  {
    // mean of an arithmetic list
    const a = randInt(11, 30), s = randInt(2, 6);
    const xs = [a, a + s, a + 2 * s, a + 3 * s, a + 4 * s, a + 5 * s];
    const total = xs.reduce((p, q) => p + q, 0);
    const key = F(total, xs.length);
    check(`(${xs.join('+')})/${xs.length}`, key);
    const keyOpt: Opt = { html: key.isInt() ? String(key.n) : String(key.n / key.d).replace('.', ','), val: key.key() };
    assert(key.d <= 2, 'mean has at most one decimal');
    const wrong = [F(a + 2 * s), F(a + 3 * s), F(total, xs.length - 1), key.add(F(1))].filter((x) => !x.eq(key));
    const wOpts = wrong.slice(0, 4).map((f) => ({ html: f.isInt() ? String(f.n) : (f.n / f.d).toFixed(1).replace('.', ','), val: f.key() }));
    assert(wOpts.every((o) => /^\d+(,\d)?$/.test(o.html) && Number(o.html.replace(',', '.')) === Number(o.val.split('/')[0]) / Number(o.val.split('/')[1])), 'mean distractors must be exact at one decimal');
    T.add('medium', `<p>Rata-rata dari bilangan ${xs.join(', ')} adalah ...</p>`, keyOpt, wOpts);
  }
  {
    // percentage with decimal, plain
    const base = 200 * randInt(3, 15);
    const key = (25 * base) / 1000; // 2,5%
    check(`25/1000*${base}`, F(key));
    T.add('medium', `<p>Nilai dari 2,5% dari ${num(base)} adalah ...</p>`, intOpt(key), intDistractors(key, [key * 10, (25 * base) / 100, key * 2], 5).map((x) => intOpt(x)));
  }
  const qs = T.done();
  const texCount = qs.filter((q) => q.stem.includes('\\(')).length;
  assert(texCount >= 10, `aritmetika: only ${texCount} questions with TeX`);
  return qs;
}

// =============================================================================================
// 3. soal-cerita (20)

const NAMES = ['Andi', 'Budi', 'Citra', 'Dewi', 'Eko', 'Fajar', 'Gita', 'Hadi', 'Indah', 'Joko', 'Rina', 'Sari', 'Tono', 'Wulan', 'Yusuf', 'Nadia', 'Rudi', 'Lina'];
const CITIES = [['Bandung', 'Cirebon'], ['Semarang', 'Solo'], ['Medan', 'Pematangsiantar'], ['Surabaya', 'Malang'], ['Makassar', 'Parepare'], ['Padang', 'Bukittinggi']];

function soalCerita(): BankQuestion[] {
  const T = new Topic('CER', 'soal-cerita', 20);
  const name2 = (): [string, string] => { const [a, b] = shuffle(NAMES); return [a, b]; };
  const add = (difficulty: Difficulty, stem: string, key: number, wrong: number[], fmt: (n: number) => string) =>
    T.add(difficulty, `<p>${stem}</p>`, intOpt(key, fmt), wrong.map((x) => intOpt(x, fmt)));
  const menit = (n: number) => `${n} menit`;
  const km = (n: number) => `${n} km`;
  const kmj = (n: number) => `${n} km/jam`;
  const hari = (n: number) => `${n} hari`;
  const jam = (n: number) => `${n} jam`;
  const orang = (n: number) => `${n} orang`;
  const tahun = (n: number) => `${n} tahun`;

  // ---- kecepatan, jarak, waktu (5)
  {
    const v = pick([40, 48, 60, 72, 80]);
    let t = 15 * randInt(6, 14);
    while ((v * t) % 60 !== 0) t += 15;
    const D = (v * t) / 60;
    assert(D * 60 === v * t, 'D = v t');
    const [c1, c2] = pick(CITIES);
    add('easy', `Sebuah bus menempuh jarak ${D} km dari ${c1} ke ${c2} dengan kecepatan rata-rata ${v} km/jam. Waktu yang diperlukan bus tersebut adalah ...`,
      t, intDistractors(t, [t + 60, t - 30, t + 15], 15), menit);
  }
  {
    const v1 = 5 * randInt(8, 14), v2 = 5 * randInt(9, 16), t = 30 * randInt(2, 6);
    const D = ((v1 + v2) * t) / 60;
    assert(Number.isInteger(D) && (v1 * t) / 60 + (v2 * t) / 60 === D, 'meeting');
    const [c1, c2] = pick(CITIES);
    add('medium', `Jarak kota ${c1} dan ${c2} adalah ${D} km. Sebuah mobil berangkat dari ${c1} menuju ${c2} dengan kecepatan ${v1} km/jam, dan pada saat yang sama sebuah truk berangkat dari ${c2} menuju ${c1} dengan kecepatan ${v2} km/jam. Keduanya akan berpapasan setelah ...`,
      t, intDistractors(t, [Math.round((D * 60) / Math.abs(v2 - v1 || 1)), t + 30, t - 15], 15), menit);
  }
  {
    const [v1, v2] = pick([[60, 40], [30, 60], [45, 90], [60, 90], [48, 80], [36, 45], [70, 30]]);
    const avg = (2 * v1 * v2) / (v1 + v2);
    assert(Number.isInteger(avg), 'harmonic mean integral');
    const d = 120; // any distance: check with a concrete one
    assert(F(2 * d).div(F(d, v1).add(F(d, v2))).eq(F(avg)), 'average speed');
    const [a] = name2();
    add('hard', `${a} pergi ke kantor dengan kecepatan rata-rata ${v1} km/jam dan pulang melalui jalan yang sama dengan kecepatan rata-rata ${v2} km/jam. Kecepatan rata-rata ${a} untuk perjalanan pergi-pulang tersebut adalah ...`,
      avg, intDistractors(avg, [(v1 + v2) / 2, Math.abs(v1 - v2), avg + 2], 2), kmj);
  }
  {
    // catching up: A leaves h minutes earlier at v1, B follows at v2 > v1
    let v1 = 0, v2 = 0, h = 0, t = 0;
    do { v1 = 5 * randInt(8, 12); v2 = v1 + 5 * randInt(2, 4); h = 15 * randInt(1, 4); t = (v1 * h) / (v2 - v1); } while (!Number.isInteger(t) || t > 300);
    assert((v2 * t) / 60 === (v1 * (t + h)) / 60, 'catch up');
    const [a, b] = name2();
    add('hard', `${a} berangkat dari rumah dengan sepeda motor berkecepatan ${v1} km/jam. ${h} menit kemudian, ${b} menyusul dari tempat yang sama melalui jalan yang sama dengan kecepatan ${v2} km/jam. ${b} dapat menyusul ${a} setelah berkendara selama ...`,
      t, intDistractors(t, [t + h, (v2 * h) / (v2 - v1) - h === t ? t + 2 * h : (v2 * h) / (v2 - v1), h], 5), menit);
  }
  {
    const v = pick([12, 15, 16, 18]), hrs = randInt(1, 3);
    const mins = shuffle([15, 30, 45]).find((m) => F(v).mul(F(hrs * 60 + m, 60)).isInt());
    assert(mins !== undefined, 'integral distance');
    const D = F(v).mul(F(hrs * 60 + mins, 60));
    assert(D.isInt() && D.n * 60 === v * (hrs * 60 + mins), 'bike distance');
    const [a] = name2();
    add('easy', `${a} bersepeda dengan kecepatan tetap ${v} km/jam selama ${hrs} jam ${mins} menit. Jarak yang ditempuh ${a} adalah ...`,
      D.n, intDistractors(D.n, [v * hrs + mins / 10, v * (hrs + 1), v * hrs], 3), km);
  }

  // ---- kecepatan kerja (5)
  {
    const [a, b] = pick([[6, 12], [10, 15], [12, 24], [20, 30], [4, 12], [12, 36], [15, 10]]);
    const t = (a * b) / (a + b);
    assert(Number.isInteger(t) && F(t, a).add(F(t, b)).eq(F(1)), 'together');
    const [p, q] = name2();
    add('easy', `${p} dapat mengecat sebuah ruangan dalam ${a} hari, sedangkan ${q} dapat mengecat ruangan yang sama dalam ${b} hari. Jika mereka bekerja bersama-sama, ruangan tersebut selesai dicat dalam ...`,
      t, intDistractors(t, [(a + b) / 2, Math.abs(a - b), t + 1], 1), hari);
  }
  {
    let n = 0, d = 0, d2 = 0;
    do { n = 2 * randInt(5, 12); d = 6 * randInt(3, 8); d2 = d - 6 * randInt(1, 2); } while ((n * d) % d2 !== 0 || d2 <= 0);
    const need = (n * d) / d2;
    const extra = need - n;
    assert(need * d2 === n * d && extra > 0, 'workers');
    add('medium', `Sebuah proyek dapat diselesaikan oleh ${n} pekerja dalam ${d} hari. Agar proyek tersebut selesai dalam ${d2} hari, banyak pekerja tambahan yang diperlukan adalah ...`,
      extra, intDistractors(extra, [need, d - d2, extra + 2], 1), orang);
  }
  {
    const [a, b] = pick([[3, 6], [4, 12], [2, 3], [6, 12], [4, 6], [10, 15], [6, 10]]);
    const t = (a * b) / (b - a);
    assert(Number.isInteger(t) && F(t, a).sub(F(t, b)).eq(F(1)), 'fill and drain');
    add('hard', `Sebuah kolam dapat diisi penuh oleh keran A dalam ${a} jam, sedangkan saluran B dapat mengosongkan kolam yang penuh dalam ${b} jam. Jika kolam dalam keadaan kosong lalu keran A dan saluran B dibuka bersamaan, kolam akan penuh setelah ...`,
      t, intDistractors(t, [(a * b) / (a + b) === t ? t + 3 : Math.round((a * b) / (a + b)), b - a, a + b], 1), jam);
  }
  {
    const [a, t] = pick([[6, 4], [10, 6], [12, 8], [15, 10], [20, 12], [12, 9]]);
    const b = (a * t) / (a - t);
    assert(Number.isInteger(b) && F(t, a).add(F(t, b)).eq(F(1)), 'alone');
    const [p, q] = name2();
    add('medium', `${p} dan ${q} bersama-sama dapat menyelesaikan sebuah pekerjaan dalam ${t} hari. Jika ${p} sendirian dapat menyelesaikannya dalam ${a} hari, maka ${q} sendirian dapat menyelesaikan pekerjaan itu dalam ...`,
      b, intDistractors(b, [a - t, a + t, 2 * t], 2), hari);
  }
  {
    let a = 0, b = 0, k = 0, rest = F(0);
    do { a = randInt(8, 20); b = randInt(6, 24); k = randInt(2, a - 3); rest = F(1).sub(F(k, a)).mul(F(b)); } while (!rest.isInt() || a === b);
    assert(F(k, a).add(F(rest.n, b)).eq(F(1)), 'sequential work');
    const [p, q] = name2();
    add('hard', `${p} dapat menyelesaikan suatu pekerjaan dalam ${a} hari, sedangkan ${q} dalam ${b} hari. ${p} mengerjakannya sendirian selama ${k} hari, lalu sisanya diselesaikan oleh ${q} sendirian. ${q} memerlukan waktu ...`,
      rest.n, intDistractors(rest.n, [a - k, b - k, rest.n + 2], 1), hari);
  }

  // ---- harga dan diskon (5)
  {
    const price = 5000 * randInt(10, 60), d = pick([10, 15, 20, 25, 30]);
    const pay = (price * (100 - d)) / 100;
    assert(Number.isInteger(pay) && pay + (price * d) / 100 === price, 'discount');
    add('easy', `Sebuah tas dijual dengan harga ${rp(price)} dan mendapat diskon ${d}%. Harga yang harus dibayar pembeli adalah ...`,
      pay, intDistractors(pay, [(price * d) / 100, price - d * 1000, pay - 5000], 2500), rp);
  }
  {
    const price = 20000 * randInt(5, 25), d1 = pick([20, 25, 30]), d2 = pick([10, 20]);
    const pay = (price * (100 - d1) * (100 - d2)) / 10000;
    assert(Number.isInteger(pay) && F(price).mul(F(100 - d1, 100)).mul(F(100 - d2, 100)).eq(F(pay)), 'double discount');
    add('hard', `Sebuah toko memberi diskon ${d1}% untuk semua barang, ditambah diskon lagi ${d2}% dari harga setelah diskon pertama. Harga akhir sebuah jaket yang semula ${rp(price)} adalah ...`,
      pay, intDistractors(pay, [(price * (100 - d1 - d2)) / 100, (price * (100 - d1)) / 100, (price * (100 - d2)) / 100], 2000), rp);
  }
  {
    const cost = 10000 * randInt(8, 40), p = pick([10, 15, 20, 25]);
    const sell = (cost * (100 + p)) / 100;
    assert(Number.isInteger(sell) && ((sell - cost) * 100) / cost === p, 'profit');
    add('easy', `Seorang pedagang membeli sebuah kipas angin seharga ${rp(cost)}. Ia ingin memperoleh keuntungan ${p}%. Harga jual kipas angin tersebut adalah ...`,
      sell, intDistractors(sell, [(cost * p) / 100, cost + p * 1000, (cost * (100 - p)) / 100], 5000), rp);
  }
  {
    const orig = 10000 * randInt(10, 50), d = pick([20, 25, 40]);
    const paid = (orig * (100 - d)) / 100;
    assert(Number.isInteger(paid) && F(paid).div(F(100 - d, 100)).eq(F(orig)), 'original price');
    const [a] = name2();
    add('medium', `${a} membeli sepasang sepatu dan membayar ${rp(paid)} setelah mendapat diskon ${d}%. Harga sepatu sebelum diskon adalah ...`,
      orig, intDistractors(orig, [(paid * (100 + d)) / 100, paid + d * 1000, (paid * 100) / (100 + d) === Math.floor((paid * 100) / (100 + d)) ? (paid * 100) / (100 + d) : orig + 20000], 10000), rp);
  }
  {
    let kg = 0, buy = 0, sellPerKg = 0, pct = 0;
    do { kg = 10 * randInt(3, 10); buy = 11000 * kg + 1000 * randInt(0, 2) * kg; pct = pick([10, 15, 20, 25]); sellPerKg = (buy * (100 + pct)) / 100 / kg; } while (!Number.isInteger(sellPerKg) || sellPerKg % 100 !== 0);
    const profit = sellPerKg * kg - buy;
    assert((profit * 100) / buy === pct, 'profit percent');
    add('medium', `Seorang pedagang membeli ${kg} kg beras seharga ${rp(buy)}. Beras tersebut dijual seluruhnya dengan harga ${rp(sellPerKg)} per kg. Persentase keuntungan pedagang tersebut adalah ...`,
      pct, intDistractors(pct, [Math.round((profit * 100) / (sellPerKg * kg)), pct + 5, (sellPerKg - buy / kg) / 100], 5), (n) => `${n}%`);
  }

  // ---- umur (5)
  {
    // father = k x child now; in n years the sum is S
    const child = randInt(6, 14), k = pick([3, 4]), n = randInt(3, 8);
    const father = k * child, S = father + child + 2 * n;
    // solve (k+1) c + 2n = S independently
    assert((S - 2 * n) % (k + 1) === 0 && (S - 2 * n) / (k + 1) === child, 'age 1');
    const [a] = name2();
    add('medium', `Umur ayah ${a} sekarang ${k} kali umur ${a}. ${n} tahun yang akan datang, jumlah umur mereka ${S} tahun. Umur ${a} sekarang adalah ...`,
      child, intDistractors(child, [S / (k + 1) === Math.floor(S / (k + 1)) ? S / (k + 1) : child + n, child + n, father / 2], 1), tahun);
  }
  {
    const [p, q] = pick([[3, 5], [2, 5], [4, 7], [5, 8]]), m = randInt(3, 6);
    const A = p * m, B = q * m, diff = B - A;
    assert(A * q === B * p && (diff / (q - p)) * q === B, 'age ratio');
    const [a, b] = name2();
    add('easy', `Perbandingan umur ${a} dan ${b} adalah ${p} : ${q}. Selisih umur mereka ${diff} tahun. Umur ${b} adalah ...`,
      B, intDistractors(B, [A, diff * q, B + diff], 2), tahun);
  }
  {
    // k years ago mother = j x child; now the sum is S
    const childPast = randInt(4, 9), j = pick([4, 5]), k = randInt(3, 6);
    const child = childPast + k, mother = j * childPast + k, S = child + mother;
    assert((S - 2 * k) % (j + 1) === 0 && (S - 2 * k) / (j + 1) + k === child && mother - k === j * (child - k), 'age 2');
    add('medium', `${k} tahun yang lalu, umur ibu ${j} kali umur anaknya. Jumlah umur ibu dan anak sekarang ${S} tahun. Umur anak sekarang adalah ...`,
      child, intDistractors(child, [childPast, S / (j + 1) === Math.floor(S / (j + 1)) ? S / (j + 1) : child + 2, child + k], 1), tahun);
  }
  {
    const n = randInt(4, 6), avg1 = randInt(20, 30), avg2 = avg1 + randInt(5, 8);
    const grandpa = (n + 1) * avg2 - n * avg1;
    assert(F(n * avg1 + grandpa, n + 1).eq(F(avg2)) && grandpa > avg2, 'average age');
    add('medium', `Rata-rata umur ${n} orang anggota sebuah keluarga adalah ${avg1} tahun. Setelah kakek ikut dihitung, rata-rata umur mereka menjadi ${avg2} tahun. Umur kakek adalah ...`,
      grandpa, intDistractors(grandpa, [avg2 * n - avg1 * n, avg1 + avg2, grandpa - avg1 + avg2 === grandpa ? grandpa + 5 : grandpa - avg1 + avg2], 3), tahun);
  }
  {
    // now A = k B; m years ago A = j B
    let B = 0, k = 0, j = 0, m = 0;
    do { k = 2; j = pick([3, 4, 5]); B = randInt(8, 20); m = (B * (j - k)) / (j - 1); } while (!Number.isInteger(m) || m <= 0 || m >= B);
    const A = k * B;
    assert(A - m === j * (B - m), 'age 3');
    const [a, b] = name2();
    add('hard', `Umur ${a} sekarang dua kali umur ${b}. ${m} tahun yang lalu, umur ${a} ${j} kali umur ${b}. Umur ${b} sekarang adalah ...`,
      B, intDistractors(B, [A, B - m, B + m], 2), tahun);
  }
  return T.done();
}

// =============================================================================================
// 4. perbandingan-kuantitatif (15)

const PBK_OPTIONS = ['P > Q', 'P < Q', 'P = Q', 'P dan Q tidak dapat ditentukan hubungannya', '2P = Q'] as const;
type Rel = 'gt' | 'lt' | 'eq' | 'und';

function perbandinganKuantitatif(): BankQuestion[] {
  const T = new Topic('PBK', 'perbandingan-kuantitatif', 15);
  const relOf = (p: Frac, q: Frac): Rel => (p.cmp(q) > 0 ? 'gt' : p.cmp(q) < 0 ? 'lt' : 'eq');
  /**
   * pairs: every (P, Q) the givens allow (one pair when both are determined). The key is
   * computed from them and compared with the intended relation.
   */
  const item = (difficulty: Difficulty, given: string, p: string, q: string, pairs: [Frac, Frac][], intended: Rel) => {
    const rels = new Set(pairs.map(([a, b]) => relOf(a, b)));
    const rel: Rel = rels.size === 1 ? [...rels][0] : 'und';
    assert(rel === intended, `PBK: computed ${rel}, intended ${intended} for ${p} vs ${q}`);
    // "2P = Q" must never be (also) true: never for a determined item, never always for the rest
    if (rel !== 'und') assert(!pairs.some(([a, b]) => a.mul(F(2)).eq(b)), `PBK: 2P = Q also holds for ${p} vs ${q}`);
    else assert(!pairs.every(([a, b]) => a.mul(F(2)).eq(b)), 'PBK: 2P = Q always holds');
    const idx = { gt: 0, lt: 1, eq: 2, und: 3 }[rel];
    const opts = PBK_OPTIONS.map((o) => ({ html: esc(o), val: o }));
    const stem = `${given ? `<p>${given}</p>` : ''}<p><b>P</b> = ${p}<br><b>Q</b> = ${q}</p><p>Hubungan yang tepat antara kuantitas P dan Q adalah ...</p>`;
    T.add(difficulty, stem, opts[idx], opts.filter((_, i) => i !== idx));
  };

  {
    const a = pick([12, 16, 24, 35, 45]), b = pick([25, 40, 60, 75]);
    item('medium', '', `${a}% dari ${b}`, `${b}% dari ${a}`, [[F(a * b, 100), F(b * a, 100)]], 'eq');
  }
  item('easy', '', tex('\\frac{5}{8}'), '0,625', [[F(5, 8), F(625, 1000)]], 'eq');
  {
    const r = randInt(5, 9), q = randInt(2, r - 1);
    const roots = [r, -r].filter((x) => x * x === r * r);
    assert(roots.length === 2, 'two roots');
    item('hard', `Diketahui ${tex(`x^2 = ${r * r}`)}, dengan ${tex('x')} bilangan real.`, tex('x'), String(q), roots.map((x) => [F(x), F(q)] as [Frac, Frac]), 'und');
  }
  {
    const r1 = randInt(2, 5), r2 = r1 + 1;
    const b = r1 + r2, c = r1 * r2;
    const roots = [];
    for (let x = -20; x <= 20; x++) if (x * x - b * x + c === 0) roots.push(x);
    assert(roots.length === 2 && roots[0] === r1 && roots[1] === r2, 'quadratic roots');
    item('hard', `Diketahui ${tex(`x^2 - ${b}x + ${c} = 0`)}.`, tex('x'), String(r1), roots.map((x) => [F(x), F(r1)] as [Frac, Frac]), 'und');
    const r3 = randInt(3, 5), r4 = r3 + 2, q = r3 - 1;
    const roots2 = [];
    for (let x = -20; x <= 20; x++) if (x * x - (r3 + r4) * x + r3 * r4 === 0) roots2.push(x);
    assert(roots2.length === 2, 'quadratic roots 2');
    item('medium', `Diketahui ${tex(`x^2 - ${r3 + r4}x + ${r3 * r4} = 0`)}.`, tex('x'), String(q), roots2.map((x) => [F(x), F(q)] as [Frac, Frac]), 'gt');
  }
  {
    const base = randInt(2, 6);
    const xs = [base, base + 2, base + 3, base + 5, base + 5 + randInt(8, 14)];
    const mean = F(xs.reduce((s, x) => s + x, 0), xs.length);
    const median = F([...xs].sort((a, b) => a - b)[2]);
    item('medium', `Diketahui data: ${xs.join(', ')}.`, 'rata-rata data tersebut', 'median data tersebut', [[mean, median]], 'gt');
  }
  {
    const s = randInt(7, 12), e = randInt(2, 4);
    const P = (s + e) * (s - e), Q = s * s;
    assert(2 * (s + e) + 2 * (s - e) === 4 * s, 'same perimeter');
    item('medium', `Sebuah persegi panjang berukuran ${s + e} cm × ${s - e} cm dan sebuah persegi mempunyai keliling yang sama dengan keliling persegi panjang tersebut.`, 'luas persegi panjang (dalam cm²)', 'luas persegi (dalam cm²)', [[F(P), F(Q)]], 'lt');
  }
  item('easy', '', tex('2^{10}'), tex('10^3'), [[evaluate('2^10'), evaluate('10^3')]], 'gt');
  {
    const [a, b] = pick([[9, 16], [36, 64], [25, 144]]);
    item('medium', '', tex(`\\sqrt{${a} + ${b}}`), tex(`\\sqrt{${a}} + \\sqrt{${b}}`), [[evaluate(`sqrt(${a}+${b})`), evaluate(`sqrt(${a})+sqrt(${b})`)]], 'lt');
  }
  {
    const price = 50000 * randInt(2, 8);
    const P = F(price).mul(F(70, 100)), Q = F(price).mul(F(80, 100)).mul(F(90, 100));
    item('easy', `Harga sebuah barang ${rp(price)}.`, 'harga barang setelah diskon 30%', 'harga barang setelah diskon 20% lalu diskon lagi 10%', [[P, Q]], 'lt');
  }
  {
    const r = pick([7, 14, 21]);
    const P = F(22, 7).mul(F(2 * r)), side = P.n / 4;
    assert(P.isInt() && Number.isInteger(side), 'circle perimeter');
    item('medium', `Gunakan ${tex('\\pi = \\frac{22}{7}')}.`, `keliling lingkaran berjari-jari ${r} cm`, `keliling persegi bersisi ${side} cm`, [[P, F(4 * side)]], 'eq');
  }
  {
    const y = randInt(3, 7), x = y + 2 * randInt(2, 4);
    const sum = x + y, dif = x - y;
    const sx = F(sum + dif, 2), sy = F(sum - dif, 2);
    assert(sx.eq(F(x)) && sy.eq(F(y)), 'PBK system');
    item('easy', `Diketahui ${tex(`x + y = ${sum}`)} dan ${tex(`x - y = ${dif}`)}.`, tex('x'), tex('y'), [[sx, sy]], 'gt');
  }
  {
    // x > 0 real: sample points on both sides of 1 (and one where 2P != Q)
    const samples = [F(1, 2), F(1), F(3)];
    item('hard', `Diketahui ${tex('x > 0')}.`, tex('x'), tex('x^2'), samples.map((x) => [x, x.mul(x)] as [Frac, Frac]), 'und');
  }
  {
    const n = 25;
    const isPrime = (k: number) => k > 1 && Array.from({ length: k - 2 }, (_, i) => i + 2).every((d) => k % d !== 0);
    const primes = Array.from({ length: n }, (_, i) => i + 1).filter(isPrime).length;
    const mult3 = Array.from({ length: n }, (_, i) => i + 1).filter((k) => k % 3 === 0).length;
    assert(primes === 9 && mult3 === 8, 'counts to 25');
    item('medium', '', `banyak bilangan prima dari 1 sampai ${n}`, `banyak bilangan kelipatan 3 dari 1 sampai ${n}`, [[F(primes), F(mult3)]], 'gt');
  }
  {
    const a = pick([7, 9, 11]), b = pick([12, 13, 14]);
    // 7/9 vs 0.78 style: fraction vs a two-decimal rounding of it from above
    const f = F(a, b);
    const dec = Math.ceil((f.n * 100) / f.d); // hundredths, strictly above unless exact
    assert((f.n * 100) % f.d !== 0, 'not exact');
    item('easy', '', tex(`\\frac{${a}}{${b}}`), `0,${String(dec).padStart(2, '0')}`, [[f, F(dec, 100)]], 'lt');
  }
  return T.done();
}

// =============================================================================================
// 5. verbal (25): hand-written data; the first option is the key

interface VerbalItem { d: Difficulty; stem: string; key: string; wrong: [string, string, string, string] }
const ANALOGI = (pair: string) => `<p>Pilihlah pasangan kata yang hubungannya paling sesuai dengan pasangan kata berikut.</p><p><b>${pair}</b> = ... : ...</p>`;
const SINONIM = (w: string) => `<p>Sinonim (persamaan arti) kata <b>${w}</b> adalah ...</p>`;
const ANTONIM = (w: string) => `<p>Antonim (lawan kata) dari <b>${w}</b> adalah ...</p>`;
const SILOGISME = (premises: string[]) => `<p>${premises.join('<br>')}</p><p>Kesimpulan yang tepat dari pernyataan di atas adalah ...</p>`;

const VERBAL: VerbalItem[] = [
  // analogi (8)
  { d: 'easy', stem: ANALOGI('DOKTER : RUMAH SAKIT'), key: 'guru : sekolah', wrong: ['pasien : obat', 'petani : cangkul', 'hakim : terdakwa', 'pilot : penumpang'] },
  { d: 'easy', stem: ANALOGI('PENA : MENULIS'), key: 'gunting : memotong', wrong: ['meja : kayu', 'sepatu : kaki', 'kompor : dapur', 'palu : paku'] },
  { d: 'medium', stem: ANALOGI('AIR : HAUS'), key: 'makanan : lapar', wrong: ['api : panas', 'hujan : basah', 'obat : dokter', 'tidur : malam'] },
  { d: 'medium', stem: ANALOGI('BENANG : KAIN'), key: 'tanah liat : gerabah', wrong: ['padi : sawah', 'kayu : rayap', 'kertas : pensil', 'susu : sapi'] },
  { d: 'easy', stem: ANALOGI('MELATI : BUNGA'), key: 'merpati : burung', wrong: ['kucing : harimau', 'sayap : burung', 'ikan : air', 'daun : ranting'] },
  { d: 'medium', stem: ANALOGI('GELAP : TERANG'), key: 'rajin : malas', wrong: ['pintar : cerdas', 'besar : raksasa', 'tinggi : langit', 'cepat : kilat'] },
  { d: 'hard', stem: ANALOGI('TERMOMETER : SUHU'), key: 'barometer : tekanan udara', wrong: ['jam : dinding', 'timbangan : pedagang', 'meteran : tukang', 'kompas : peta'] },
  { d: 'hard', stem: ANALOGI('RODA : MOBIL'), key: 'lensa : kacamata', wrong: ['sopir : bus', 'bensin : motor', 'garasi : mobil', 'jalan : sepeda'] },
  // sinonim (6)
  { d: 'easy', stem: SINONIM('KENDALA'), key: 'hambatan', wrong: ['peluang', 'tujuan', 'kemudahan', 'perhitungan'] },
  { d: 'easy', stem: SINONIM('ABSAH'), key: 'sah', wrong: ['palsu', 'lengkap', 'lazim', 'mutlak'] },
  { d: 'medium', stem: SINONIM('LUGAS'), key: 'terus terang', wrong: ['berbelit-belit', 'sopan santun', 'lemah lembut', 'cepat tanggap'] },
  { d: 'medium', stem: SINONIM('NISBI'), key: 'relatif', wrong: ['mutlak', 'nyata', 'abadi', 'pasti'] },
  { d: 'hard', stem: SINONIM('PROMINEN'), key: 'terkemuka', wrong: ['terpencil', 'terbaru', 'tersembunyi', 'tertinggal'] },
  { d: 'hard', stem: SINONIM('FRIKSI'), key: 'perpecahan', wrong: ['persatuan', 'perdamaian', 'perjanjian', 'pertemuan'] },
  // antonim (6)
  { d: 'easy', stem: ANTONIM('SEMENTARA'), key: 'permanen', wrong: ['sebentar', 'darurat', 'singkat', 'sesaat'] },
  { d: 'easy', stem: ANTONIM('EKSPOR'), key: 'impor', wrong: ['produksi', 'distribusi', 'pengiriman', 'perdagangan'] },
  { d: 'medium', stem: ANTONIM('KONKRET'), key: 'abstrak', wrong: ['nyata', 'jelas', 'padat', 'khusus'] },
  { d: 'medium', stem: ANTONIM('DEFISIT'), key: 'surplus', wrong: ['kekurangan', 'kerugian', 'utang', 'anggaran'] },
  { d: 'medium', stem: ANTONIM('OPTIMIS'), key: 'pesimis', wrong: ['yakin', 'bersemangat', 'percaya diri', 'gigih'] },
  { d: 'hard', stem: ANTONIM('APATIS'), key: 'peduli', wrong: ['tak acuh', 'masa bodoh', 'lamban', 'pasif'] },
  // silogisme (5)
  { d: 'easy', stem: SILOGISME(['Semua pegawai di kantor itu wajib mengikuti apel pagi.', 'Budi adalah pegawai di kantor itu.']), key: 'Budi wajib mengikuti apel pagi.', wrong: ['Budi tidak wajib mengikuti apel pagi.', 'Budi mungkin tidak mengikuti apel pagi.', 'Semua yang mengikuti apel pagi adalah pegawai di kantor itu.', 'Tidak dapat ditarik kesimpulan.'] },
  { d: 'hard', stem: SILOGISME(['Semua mahasiswa adalah pembaca.', 'Sebagian pembaca adalah penulis.']), key: 'Belum tentu ada mahasiswa yang menjadi penulis.', wrong: ['Semua mahasiswa adalah penulis.', 'Sebagian mahasiswa adalah penulis.', 'Tidak ada mahasiswa yang menjadi penulis.', 'Semua penulis adalah mahasiswa.'] },
  { d: 'medium', stem: SILOGISME(['Semua atlet rajin berlatih.', 'Sebagian atlet adalah pelajar.']), key: 'Sebagian pelajar rajin berlatih.', wrong: ['Semua pelajar rajin berlatih.', 'Semua yang rajin berlatih adalah atlet.', 'Sebagian pelajar tidak rajin berlatih.', 'Tidak ada pelajar yang rajin berlatih.'] },
  { d: 'medium', stem: SILOGISME(['Jika hujan turun, jalan di depan rumah menjadi basah.', 'Jalan di depan rumah tidak basah.']), key: 'Hujan tidak turun.', wrong: ['Hujan turun.', 'Hujan mungkin turun.', 'Jalan basah karena hal lain.', 'Jika jalan basah, hujan pasti turun.'] },
  { d: 'hard', stem: SILOGISME(['Jika Sinta lulus ujian, ia mendapat hadiah.', 'Jika Sinta mendapat hadiah, ia berlibur ke Bali.']), key: 'Jika Sinta lulus ujian, ia berlibur ke Bali.', wrong: ['Jika Sinta berlibur ke Bali, ia lulus ujian.', 'Jika Sinta tidak lulus ujian, ia tidak berlibur ke Bali.', 'Sinta lulus ujian dan berlibur ke Bali.', 'Sinta pasti mendapat hadiah.'] },
];

function verbal(): BankQuestion[] {
  const T = new Topic('VER', 'verbal', 25);
  assert(VERBAL.length === 25, 'verbal data must hold 25 items');
  // the analogy options must all be "word : word" pairs so the form gives nothing away
  for (const v of VERBAL) {
    if (v.stem.includes(' = ... : ...')) assert([v.key, ...v.wrong].every((o) => /^[a-z ]+ : [a-z ]+$/.test(o)), `analogy options: ${v.key}`);
    T.add(v.d, v.stem, textOpt(v.key), v.wrong.map(textOpt));
  }
  return T.done();
}

// =============================================================================================
// 6. figural (20): SVG figures

/** A figure state: content drawn inside a 60x60 box, an Indonesian description, and a canonical key. */
interface Fig { svg: string; alt: string; key: string }

const FRAME = '<rect x="1" y="1" width="58" height="58" fill="#fff" stroke="#000" stroke-width="2"/>';
const optionSvg = (f: Fig) => `<svg xmlns="http://www.w3.org/2000/svg" width="60" height="60" viewBox="0 0 60 60">${FRAME}${f.svg}</svg>`;
function sequenceSvg(figs: Fig[]): string {
  const n = figs.length + 1, w = n * 66 - 6;
  const boxes = [...figs.map((f) => f.svg), '<text x="30" y="42" font-size="30" font-family="sans-serif" text-anchor="middle">?</text>']
    .map((c, i) => `<g transform="translate(${i * 66} 0)">${FRAME}${c}</g>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="60" viewBox="0 0 ${w} 60">${boxes.join('')}</svg>`;
}

const DIRS = ['atas', 'kanan atas', 'kanan', 'kanan bawah', 'bawah', 'kiri bawah', 'kiri', 'kiri atas'];
const norm = (a: number) => ((a % 360) + 360) % 360;
function arrow(angle: number): Fig {
  const a = norm(angle);
  assert(a % 45 === 0, 'arrow angle multiple of 45');
  const rot = a ? ` transform="rotate(${a} 30 30)"` : '';
  return { svg: `<path d="M30 8L44 24H35V52H25V24H16Z"${rot}/>`, alt: `panah menunjuk ke ${DIRS[a / 45]}`, key: `arrow:${a}` };
}
function dots(n: number): Fig {
  assert(n >= 1 && n <= 16, 'dots 1..16');
  const cols = Math.ceil(Math.sqrt(n)), rows = Math.ceil(n / cols);
  const gap = 44 / Math.max(cols, rows), r = Math.min(5, gap / 3);
  let s = '';
  for (let i = 0; i < n; i++) {
    const cx = 30 + ((i % cols) - (cols - 1) / 2) * gap, cy = 30 + (Math.floor(i / cols) - (rows - 1) / 2) * gap;
    s += `<circle cx="${+cx.toFixed(1)}" cy="${+cy.toFixed(1)}" r="${+r.toFixed(1)}"/>`;
  }
  return { svg: s, alt: `${n} titik`, key: `dots:${n}` };
}
type ShapeName = 'lingkaran' | 'persegi' | 'segitiga' | 'belah ketupat';
function shape(name: ShapeName, black: boolean): Fig {
  const paint = `fill="${black ? '#000' : '#fff'}" stroke="#000" stroke-width="2"`;
  const svg = {
    lingkaran: `<circle cx="30" cy="30" r="18" ${paint}/>`,
    persegi: `<rect x="13" y="13" width="34" height="34" ${paint}/>`,
    segitiga: `<polygon points="30,10 50,47 10,47" ${paint}/>`,
    'belah ketupat': `<polygon points="30,8 51,30 30,52 9,30" ${paint}/>`,
  }[name];
  return { svg, alt: `${name} ${black ? 'hitam' : 'putih'}`, key: `shape:${name}:${black}` };
}
const POLY_NAMES: Record<number, string> = { 3: 'segitiga', 4: 'segi empat', 5: 'segi lima', 6: 'segi enam', 7: 'segi tujuh', 8: 'segi delapan', 9: 'segi sembilan' };
function polygon(n: number, black = false): Fig {
  assert(POLY_NAMES[n] !== undefined, 'polygon 3..9');
  const pts = Array.from({ length: n }, (_, i) => {
    const t = (2 * Math.PI * i) / n - Math.PI / 2 + (n % 2 === 0 ? Math.PI / n : 0);
    return `${+(30 + 21 * Math.cos(t)).toFixed(1)},${+(31 + 21 * Math.sin(t)).toFixed(1)}`;
  });
  return { svg: `<polygon points="${pts.join(' ')}" fill="${black ? '#000' : '#fff'}" stroke="#000" stroke-width="2"/>`, alt: `${POLY_NAMES[n]} beraturan ${black ? 'hitam' : 'putih'}`, key: `poly:${n}:${black}` };
}
const QUAD_NAMES = ['kiri atas', 'kanan atas', 'kanan bawah', 'kiri bawah'];
const QUAD_XY = [[8, 8], [30, 8], [30, 30], [8, 30]];
function quads(shaded: number[]): Fig {
  const set = [...new Set(shaded.map((q) => ((q % 4) + 4) % 4))].sort();
  const svg = QUAD_XY.map(([x, y], i) => `<rect x="${x}" y="${y}" width="22" height="22" fill="${set.includes(i) ? '#000' : '#fff'}" stroke="#000"/>`).join('');
  return { svg, alt: `persegi terbagi empat, bagian ${set.map((i) => QUAD_NAMES[i]).join(' dan ')} diarsir`, key: `quads:${set.join('')}` };
}

function figural(): BankQuestion[] {
  const T = new Topic('FIG', 'figural', 20);
  const ask = (difficulty: Difficulty, seq: Fig[], answer: Fig, wrong: Fig[], checkRule: (all: Fig[]) => boolean) => {
    // the rule holds for the shown figures followed by the answer, and for no distractor
    assert(checkRule([...seq, answer]), `figural: rule fails for ${seq.map((f) => f.key).join(',')} -> ${answer.key}`);
    for (const w of wrong) assert(!checkRule([...seq, w]), `figural: distractor ${w.key} also fits`);
    const stemSvg = sequenceSvg(seq);
    checkSvg(stemSvg, 'figural stem');
    const alt = `Rangkaian lima kotak. Kotak 1 sampai 4 berisi: ${seq.map((f, i) => `(${i + 1}) ${f.alt}`).join('; ')}. Kotak kelima berisi tanda tanya.`;
    const w = seq.length * 66 + 60;
    const stem = `<p>Perhatikan rangkaian gambar berikut.</p><p><img src="${svgUri(stemSvg)}" alt="${escAttr(alt)}" width="${w}" height="60"></p><p>Gambar yang tepat untuk menggantikan tanda tanya adalah ...</p>`;
    const opt = (f: Fig): Opt => {
      const svg = optionSvg(f);
      checkSvg(svg, `figural option ${f.key}`);
      return { html: `<img src="${svgUri(svg)}" alt="${escAttr(f.alt)}" width="60" height="60">`, val: f.key };
    };
    T.add(difficulty, stem, opt(answer), wrong.map(opt));
  };
  const num = (k: string) => Number(k.split(':')[1]);
  const constantStep = (xs: number[], mod?: number) => xs.every((x, i) => i < 2 || (mod ? norm(x - xs[i - 1]) === norm(xs[1] - xs[0]) : x - xs[i - 1] === xs[1] - xs[0]));

  // arrows (4): constant rotation
  for (const [start, step, difficulty] of [[0, 90, 'easy'], [180, -90, 'easy'], [90, 45, 'medium'], [0, 135, 'hard']] as [number, number, Difficulty][]) {
    const seq = [0, 1, 2, 3].map((i) => arrow(start + i * step));
    const ans = arrow(start + 4 * step);
    const a = norm(start + 4 * step);
    const cand = [a + 180, a - step, a + 45, a - 45, a + 90, a - 90].map(norm).filter((x, i, arr) => x !== a && arr.indexOf(x) === i);
    const wrong = shuffle(cand.slice(0, 5)).slice(0, 4).map(arrow);
    ask(difficulty, seq, ans, wrong, (all) => constantStep(all.map((f) => num(f.key)), 360));
  }
  // dots (4): constant difference
  for (const [start, step, difficulty] of [[2, 1, 'easy'], [1, 2, 'easy'], [9, -1, 'medium'], [1, 3, 'medium']] as [number, number, Difficulty][]) {
    const seq = [0, 1, 2, 3].map((i) => dots(start + i * step));
    const n = start + 4 * step;
    const wrong = intDistractors(n, [n + 1, n - 1, start + 3 * step, n + step], 1, 1, 16).map(dots);
    ask(difficulty, seq, dots(n), wrong, (all) => constantStep(all.map((f) => num(f.key))));
  }
  // shapes (4): shapes repeat with period 3, fill alternates black/white
  const shapeSets: [ShapeName, ShapeName, ShapeName][] = [['lingkaran', 'persegi', 'segitiga'], ['segitiga', 'belah ketupat', 'lingkaran'], ['persegi', 'lingkaran', 'belah ketupat'], ['belah ketupat', 'segitiga', 'persegi']];
  shapeSets.forEach((names, v) => {
    const black0 = v % 2 === 0;
    const at = (i: number) => shape(names[i % 3], i % 2 === 0 ? black0 : !black0);
    const seq = [0, 1, 2, 3].map(at);
    const ans = at(4);
    const allShapes: ShapeName[] = ['lingkaran', 'persegi', 'segitiga', 'belah ketupat'];
    const cand = allShapes.flatMap((s) => [shape(s, true), shape(s, false)]).filter((f) => f.key !== ans.key);
    // plausible: same shape other colour, the other shapes of the cycle in both colours
    const plausible = cand.filter((f) => names.some((n) => f.key.startsWith(`shape:${n}:`)));
    const wrong = shuffle(plausible).slice(0, 4);
    const parse = (f: Fig) => f.key.split(':');
    ask(v < 2 ? 'medium' : 'hard', seq, ans, wrong, (all) => {
      const p = all.map(parse);
      return p.every((x, i) => (i < 3 || x[1] === p[i - 3][1]) && (i < 1 || x[2] !== p[i - 1][2])) && new Set(p.slice(0, 3).map((x) => x[1])).size === 3;
    });
  });
  // polygons (4): number of sides changes by a constant; the hard one also alternates fill
  for (const [start, step, alternate, difficulty] of [[3, 1, false, 'easy'], [8, -1, false, 'medium'], [4, 1, false, 'medium'], [3, 1, true, 'hard']] as [number, number, boolean, Difficulty][]) {
    const at = (i: number) => polygon(start + i * step, alternate ? i % 2 === 1 : false);
    const seq = [0, 1, 2, 3].map(at);
    const ans = at(4);
    const n = start + 4 * step;
    let wrong: Fig[];
    if (alternate) wrong = [polygon(n, true), polygon(n + 1, false), polygon(n - 1, false), polygon(n + 1, true)];
    else wrong = intDistractors(n, [n + 1, n - 1, n + 2, n - 2], 1, 3, 9).map((x) => polygon(x));
    ask(difficulty, seq, ans, wrong, (all) => {
      const p = all.map((f) => f.key.split(':'));
      return constantStep(p.map((x) => Number(x[1]))) && (!alternate ? p.every((x) => x[2] === 'false') : p.every((x, i) => i === 0 || x[2] !== p[i - 1][2]));
    });
  }
  // shaded quadrants (4): the shaded part moves a constant number of quarter turns
  for (const [start, step, difficulty] of [[[0], 1, 'easy'], [[1], -1, 'medium'], [[0, 1], 1, 'medium'], [[0], 2, 'hard']] as [number[], number, Difficulty][]) {
    const at = (i: number) => quads(start.map((q) => q + i * step));
    const seq = [0, 1, 2, 3].map(at);
    const ans = at(4);
    const pool = [[0], [1], [2], [3], [0, 1], [1, 2], [2, 3], [3, 0], [0, 2], [1, 3]].map(quads).filter((f) => f.key !== ans.key);
    const sameSize = pool.filter((f) => f.key.length === ans.key.length);
    const wrong = [...shuffle(sameSize).slice(0, 3), ...shuffle(pool.filter((f) => f.key.length !== ans.key.length)).slice(0, 1)];
    const rotate = (key: string, k: number) => [...key.split(':')[1]].map((c) => (Number(c) + k + 4) % 4).sort().join('');
    ask(difficulty, seq, ans, wrong, (all) => {
      const ks = all.map((f) => f.key.split(':')[1]);
      // some fixed quarter turn k maps each figure onto the next (and the first pair fixes k uniquely)
      const ks0 = [0, 1, 2, 3].filter((k) => rotate(`q:${ks[0]}`, k) === ks[1]);
      return ks0.length === 1 && ks.every((x, i) => i === 0 || rotate(`q:${ks[i - 1]}`, ks0[0]) === x);
    });
  }
  return T.done();
}

// =============================================================================================

function main(): void {
  const questions = [...deretAngka(), ...aritmetika(), ...soalCerita(), ...perbandinganKuantitatif(), ...verbal(), ...figural()];
  assert(questions.length === 120, `${questions.length} questions`);
  assert(new Set(questions.map((q) => q.id)).size === 120, 'duplicate ids');
  for (const q of questions) {
    assert(/^TIU-(DER|ARI|CER|PBK|VER|FIG)-\d{3}$/.test(q.id), `id ${q.id}`);
    assert(q.options.length === 5 && new Set(q.options).size === 5, `${q.id}: 5 distinct options`);
  }
  const bank = { format: 'kaca-bank@1', id: 'demo-tiu', title: 'Soal demo TIU', language: 'id', questions };
  const out = fileURLToPath(new URL('../demo/tiu.json', import.meta.url));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(bank, null, 2)}\n`);

  const tally = (f: (q: BankQuestion) => string) => questions.reduce<Record<string, number>>((m, q) => ({ ...m, [f(q)]: (m[f(q)] ?? 0) + 1 }), {});
  const sizes = questions.map((q) => ({ id: q.id, bytes: Buffer.byteLength(JSON.stringify(q), 'utf8') })).sort((a, b) => b.bytes - a.bytes);
  console.log(`wrote ${out}: ${questions.length} questions`);
  console.log('per topic:', tally((q) => q.topic));
  console.log('per difficulty:', tally((q) => q.difficulty));
  console.log('keys:', tally((q) => q.key));
  console.log('per topic and key:', tally((q) => `${q.topic}/${q.key}`));
  console.log(`largest question: ${sizes[0].id} (${sizes[0].bytes} bytes of JSON)`);
}

main();
