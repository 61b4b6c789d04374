import { describe, expect, it } from 'vitest';
import { formatProblem, formatReport, parseBank, validateBank } from '../../server/src/domain/bank.js';
import { normalizeText } from '../../server/src/domain/bank-duplicates.js';
import { checkRichContent, textToRichContent } from '../../server/src/domain/rich-content.js';
import { ExamTemplateSchema, SavedTemplateSchema, SKD_TEMPLATE } from '../../server/src/contract/exam.js';
import { KacaError } from '../../server/src/domain/errors.js';
import type { BankProblem } from '../../server/src/domain/bank.js';

const q = (over: Record<string, unknown> = {}) => ({ id: 'Q1', section: 'TWK', topic: 't', stem: '<p>Soal</p>', options: ['a', 'b', 'c', 'd', 'e'], key: 'B', ...over });
const tkp = (over: Record<string, unknown> = {}) => q({ section: 'TKP', key: undefined, weights: [1, 2, 3, 4, 5], ...over });
const doc = (questions: unknown[]) => ({ format: 'kaca-bank@1', id: 'b1', title: 'B', questions });

function problems(fn: () => unknown): BankProblem[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KacaError);
    return (e as KacaError).details as BankProblem[];
  }
  throw new Error('expected the bank to be rejected');
}

/** "field: message" of every error about one question. */
function errorsOf(questions: unknown[], id: string, template = SKD_TEMPLATE): string[] {
  return validateBank(doc(questions), template).report.errors.filter((p) => p.questionId === id).map((p) => `${p.field}: ${p.message}`);
}

describe('bank parsing', () => {
  it('converts letters to option indexes and trims stems and options', () => {
    const bank = parseBank(doc([q({ stem: '  <p>Soal</p>\n', options: [' a', 'b ', 'c', 'd', 'e'] }), tkp({ id: 'Q2' })]), SKD_TEMPLATE);
    expect(bank.questions[0]).toMatchObject({ key: 1, stem: '<p>Soal</p>', options: ['a', 'b', 'c', 'd', 'e'] });
    expect(bank.questions[1].weights).toEqual([1, 2, 3, 4, 5]);
  });

  it('lists every invalid question with its id and field', () => {
    const list = problems(() =>
      parseBank(
        doc([
          q(),
          q({ id: 'Q2', key: 'F' }),
          q({ id: 'Q3', options: ['only one'] }),
          q({ id: 'Q4', stem: '<p onclick="x()">hi</p><script>alert(1)</script>' }),
          q({ id: 'Q1' }),
          q({ id: 'Q6', section: 'XYZ' }),
          q({ id: 'Q7', key: undefined }),
          q({ id: 'Q8', section: 'TKP' }),
          q({ id: 'Q9', options: ['a', 'b', 'c', 'd', '<img src="http://evil/x.png">'] }),
        ]),
        SKD_TEMPLATE,
      ),
    );
    const by = (id: string) => list.filter((p) => p.questionId === id).map((p) => `${p.field}: ${p.message}`);
    expect(by('Q2')).toEqual(['key: key F names no option (5 options)']);
    expect(by('Q3')).toEqual(['options: give at least 2 options']);
    expect(by('Q4')).toEqual(expect.arrayContaining(['stem: attribute onclick is not allowed on <p>', 'stem: tag <script> is not allowed']));
    expect(by('Q1')).toEqual(['id: id Q1 appears 2 times: questions #1, #5']);
    expect(by('Q6')).toEqual(['section: section XYZ is not in template skd (TWK, TIU, TKP)']);
    expect(by('Q7')).toEqual(['key: section TWK is keyed: give a key (the letter of the correct option, A-E)']);
    expect(by('Q8')).toEqual(['weights: section TKP is weighted: give weights, one per option (1-5), instead of a key']);
    expect(by('Q9')).toEqual(['options[4]: img src must be a data:image URI or a /media/ path']);
  });

  it('rejects a document that is not a bank', () => {
    expect(problems(() => parseBank({ format: 'other', questions: [] }))[0].field).toBe('format');
  });

  it('still checks the other rules of a question with one malformed field', () => {
    expect(errorsOf([q({ difficulty: 'sedang', weights: [1, 2, 3, 4, 5], key: undefined })], 'Q1')).toEqual([
      'difficulty: Invalid option: expected one of "easy"|"medium"|"hard"',
      'key: section TWK is keyed: give a key (the letter of the correct option, A-E) instead of weights',
    ]);
  });
});

describe('bank rules from the template', () => {
  it('TKP weights must be an ordering of 1..5', () => {
    const ordering = 'must be an ordering of [1, 2, 3, 4, 5] (each value exactly once)';
    expect(errorsOf([tkp({ weights: [7, 5, 1, 2, 4] })], 'Q1')).toEqual([`weights: section TKP: weights [7, 5, 1, 2, 4] ${ordering}`]);
    expect(errorsOf([tkp({ weights: [5, 5, 5, 5, 5] })], 'Q1')).toEqual([`weights: section TKP: weights [5, 5, 5, 5, 5] ${ordering}`]);
    expect(errorsOf([tkp({ weights: [1, 2, 3, 4] })], 'Q1')).toEqual([`weights: section TKP: weights [1, 2, 3, 4] ${ordering}`, 'weights: 4 weights for 5 options']);
    expect(errorsOf([tkp({ weights: [5, 3, 1, 2, 4] })], 'Q1')).toEqual([]);
  });

  it('a weighted section needs weights and no key; a keyed one a key and no weights', () => {
    expect(errorsOf([tkp({ weights: undefined })], 'Q1')).toEqual(['weights: section TKP is weighted: give weights, one per option (1-5)']);
    expect(errorsOf([tkp({ weights: undefined, key: 'A' })], 'Q1')).toEqual(['weights: section TKP is weighted: give weights, one per option (1-5), instead of a key']);
    expect(errorsOf([tkp({ key: 'A' })], 'Q1')).toEqual(['key: section TKP is weighted: remove the key (a weighted question has only weights)']);
    expect(errorsOf([q({ key: undefined })], 'Q1')).toEqual(['key: section TWK is keyed: give a key (the letter of the correct option, A-E)']);
    expect(errorsOf([q({ key: undefined, weights: [1, 2, 3, 4, 5] })], 'Q1')).toEqual(['key: section TWK is keyed: give a key (the letter of the correct option, A-E) instead of weights']);
    expect(errorsOf([q({ weights: [1, 2, 3, 4, 5] })], 'Q1')).toEqual(['weights: section TWK is keyed: remove the weights (a keyed question has only a key)']);
  });

  it('the option count and the key follow the section', () => {
    expect(errorsOf([q({ options: ['a', 'b', 'c', 'd'] })], 'Q1')).toEqual(['options: section TWK needs 5 options (A-E); this question has 4']);
    expect(errorsOf([q({ options: ['a', 'b', 'c', 'd'], key: 'E' })], 'Q1')).toEqual(['options: section TWK needs 5 options (A-E); this question has 4', 'key: key E names no option (4 options)']);
    expect(errorsOf([q({ key: 'G' })], 'Q1')).toEqual(['key: Invalid option: expected one of "A"|"B"|"C"|"D"|"E"|"F"']);
  });

  it('a template without an option count or weight set constrains neither', () => {
    const loose = ExamTemplateSchema.parse({
      ...SKD_TEMPLATE,
      sections: SKD_TEMPLATE.sections.map(({ optionCount: _o, ...s }) => ({ ...s, scoring: s.scoring.kind === 'weighted' ? { kind: 'weighted', blank: 0 } : s.scoring })),
    });
    expect(errorsOf([tkp({ options: ['a', 'b', 'c', 'd'], weights: [7, 5, 1, 2] }), q({ id: 'Q2', options: ['a', 'b'] })], 'Q1', loose)).toEqual([]);
    expect(errorsOf([tkp({ options: ['a', 'b', 'c', 'd'], weights: [7, 5, 1, 2] })], 'Q1', loose)).toEqual([]);
  });

  it('a template whose weight set does not fit its option count is refused', () => {
    const bad = ExamTemplateSchema.safeParse({ ...SKD_TEMPLATE, sections: [{ ...SKD_TEMPLATE.sections[2], optionCount: 4 }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.message)).toContain('5 weights in the set but 4 options per question');
  });

  it('a template whose thresholds no paper can reach is refused, naming the minimum and the most', () => {
    // SKD copied with 10 questions per section: 50 at most each, 150 in all
    const small = { ...SKD_TEMPLATE, sections: SKD_TEMPLATE.sections.map((s) => ({ ...s, questionCount: 10 })) };
    // a stored one still loads; one being saved is refused
    expect(ExamTemplateSchema.safeParse(small).success).toBe(true);
    const r = SavedTemplateSchema.safeParse(small);
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toContain('thresholdSets.0.sectionMinimums.TIU: minimum 80 is more than section TIU can score (50)');
    expect(issues).toContain('thresholdSets.0.sectionMinimums.TKP: minimum 166 is more than section TKP can score (50)');
    expect(issues.some((i) => /totalMinimum: minimum \d+ is more than the paper can score \(150\)/.test(i))).toBe(true);
    // thresholds within reach are fine, and weights without a set give no maximum to check against
    const loose = { ...small, sections: small.sections.map((s) => (s.scoring.kind === 'weighted' ? { ...s, scoring: { kind: 'weighted' as const, blank: 0 } } : s)), thresholdSets: [{ id: 'umum', name: 'Umum', sectionMinimums: { TWK: 50, TKP: 1000 } }], groups: {}, defaultThresholdSet: 'umum' };
    expect(SavedTemplateSchema.safeParse(loose).success).toBe(true);
  });

  it('a template with marks, a duration or a minimum past any real exam is refused when saved, naming the field', () => {
    const issues = (t: unknown) => {
      const r = SavedTemplateSchema.safeParse(t);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    const huge = { ...SKD_TEMPLATE, sections: SKD_TEMPLATE.sections.map((s, i) => (i === 0 ? { ...s, scoring: { kind: 'keyed' as const, correct: 1e308, wrong: 0, blank: 0 } } : s)) };
    expect(issues(huge)).toContain('sections.0.scoring.correct: marks must be between -1000 and 1000');
    expect(issues({ ...SKD_TEMPLATE, durationMinutes: 1e308 })).toContain('durationMinutes: the duration in minutes must be between 1 and 1440');
    expect(issues({ ...SKD_TEMPLATE, durationMinutes: 1e-9 })).toContain('durationMinutes: the duration in minutes must be between 1 and 1440');
    expect(issues({ ...SKD_TEMPLATE, nextStageMultiplier: 1e300 })).toContain('nextStageMultiplier: the next-stage multiplier must be between 0 and 100');
    expect(issues({ ...SKD_TEMPLATE, sections: [{ ...SKD_TEMPLATE.sections[0], questionCount: 20_000 }], thresholdSets: [{ id: 'umum', name: 'Umum', sectionMinimums: {} }], groups: {}, tieBreak: [], defaultThresholdSet: 'umum' })).toContain(
      'sections.0.questionCount: the number of questions must be between 1 and 10000',
    );
    expect(issues({ ...SKD_TEMPLATE, thresholdSets: [{ id: 'umum', name: 'Umum', sectionMinimums: { TWK: -1e300 } }], groups: {}, defaultThresholdSet: 'umum' })).toContain('thresholdSets.0.sectionMinimums.TWK: a minimum must be between -10000000 and 10000000');
    // SKD itself is well within them
    expect(issues(SKD_TEMPLATE)).toEqual([]);
  });

  it('without a template, each question needs exactly one of key or weights', () => {
    const noTemplate = (over: Record<string, unknown>) => validateBank(doc([q(over)])).report.errors.map((p) => `${p.field}: ${p.message}`);
    expect(noTemplate({ key: undefined })).toEqual(['key: give a key (keyed sections) or weights (weighted sections)']);
    expect(noTemplate({ weights: [1, 2, 3, 4, 5] })).toEqual(['key: give a key (keyed sections) or weights (weighted sections), not both']);
    expect(noTemplate({ weights: [1, 2, 3, 4, 5], key: undefined, section: 'ANY' })).toEqual([]);
  });

  it('warns when a section has fewer valid questions than the template deals', () => {
    const { report } = validateBank(doc([q(), tkp({ id: 'Q2' })]), SKD_TEMPLATE);
    expect(report.warnings.filter((w) => w.code === 'section').map((w) => w.message)).toEqual([
      'section TWK has 1 valid question; template skd deals 30 per paper',
      'section TIU has 0 valid questions; template skd deals 35 per paper',
      'section TKP has 1 valid question; template skd deals 45 per paper',
    ]);
  });
});

describe('duplicates', () => {
  it('reports a duplicate id once, with all its positions', () => {
    const qs = [q({ id: 'TWK-001' }), q({ id: 'X', stem: 'lain' }), q({ id: 'TWK-001', stem: 'b' }), q({ id: 'Y', stem: 'c' }), q({ id: 'TWK-001', stem: 'd' })];
    const { report, bank } = validateBank(doc(qs), SKD_TEMPLATE);
    expect(bank).toBeNull();
    const dup = report.errors.filter((p) => p.code === 'duplicate-id');
    expect(dup).toHaveLength(1);
    expect(dup[0]).toMatchObject({ questionId: 'TWK-001', index: 0, field: 'id', message: 'id TWK-001 appears 3 times: questions #1, #3, #5' });
    expect(dup[0].related).toEqual([
      { questionId: 'TWK-001', index: 2 },
      { questionId: 'TWK-001', index: 4 },
    ]);
    expect(report.summary.valid).toBe(2);
  });

  it('normalizes tags, entities, case, whitespace and punctuation, but not symbols or images', () => {
    expect(normalizeText('<p>Ibu kota  <b>Indonesia</b>&nbsp;adalah&hellip;?</p>')).toBe('ibu kota indonesia adalah');
    expect(normalizeText('IBU KOTA, Indonesia: adalah ...')).toBe('ibu kota indonesia adalah');
    expect(normalizeText('2 + 3 = ?')).not.toBe(normalizeText('2 × 3 = ?'));
    expect(normalizeText('x &lt; y')).not.toBe(normalizeText('x &gt; y'));
    expect(normalizeText('<img src="data:image/png;base64,AAAA">Gambar')).not.toBe(normalizeText('<img src="data:image/png;base64,BBBB">Gambar'));
  });

  it('warns about the same stem, naming every id, and says whether the options agree too', () => {
    const opts = ['Jakarta', 'Bandung', 'Surabaya', 'Medan', 'Makassar'];
    const qs = [
      q({ id: 'TWK-001', stem: '<p>Ibu kota Indonesia adalah ...</p>', options: opts }),
      q({ id: 'TWK-002', stem: 'Soal lain sama sekali' }),
      q({ id: 'TWK-117', stem: 'IBU KOTA&nbsp;Indonesia adalah…', options: opts.map((o) => `<b>${o}</b>`) }),
      q({ id: 'TWK-200', stem: 'Sebutkan warna bendera', options: ['merah', 'putih', 'biru', 'hijau', 'hitam'] }),
      q({ id: 'TWK-201', stem: 'sebutkan warna bendera!', options: ['putih', 'merah', 'biru', 'hijau', 'hitam'] }),
      q({ id: 'TWK-202', stem: 'Sebutkan  warna bendera.', options: ['merah', 'putih', 'biru', 'hijau', 'hitam'] }),
    ];
    const { report, bank } = validateBank(doc(qs), SKD_TEMPLATE);
    expect(bank).not.toBeNull();
    expect(report.warnings.filter((w) => w.code === 'near-duplicate').map(formatProblem)).toEqual([
      'stem: questions TWK-001 (#1) and TWK-117 (#3) have the same stem and the same options in the same order',
      'stem: questions TWK-200 (#4), TWK-201 (#5) and TWK-202 (#6) have the same stem; TWK-200 (#4) and TWK-202 (#6) also have the same options in the same order',
    ]);
  });

  it('the shingle check catches a copy with a word changed', () => {
    const stem = 'Seorang pegawai menerima keluhan warga tentang pelayanan yang lambat di kantor kelurahan pada hari Senin pagi saat antrean sedang panjang';
    const options = ['mendengarkan keluhan dengan sabar', 'meminta warga menunggu', 'menyalahkan rekan kerja', 'mengabaikannya', 'melapor kepada atasan'];
    const qs = [tkp({ id: 'TKP-1', stem, options }), tkp({ id: 'TKP-2', stem: stem.replace('Senin', 'Selasa'), options }), tkp({ id: 'TKP-3', stem: 'Anda diminta memimpin rapat mendadak ketika atasan berhalangan hadir karena sakit dan agenda belum disiapkan', options: ['a', 'b', 'c', 'd', 'e'] })];
    const { report } = validateBank(doc(qs), SKD_TEMPLATE);
    expect(report.warnings.filter((w) => w.code === 'near-duplicate').map(formatProblem)).toEqual([
      'stem, options: questions TKP-1 (#1) and TKP-2 (#2) share 82% of their wording (stem and options): check that they are not the same question',
    ]);
  });

  it('leaves copies under one id to the duplicate-id check', () => {
    const { report } = validateBank(doc([q(), q()]), SKD_TEMPLATE);
    expect(report.warnings.filter((w) => w.code === 'near-duplicate')).toEqual([]);
    expect(report.errors.map((e) => e.code)).toEqual(['duplicate-id']);
  });
});

describe('the report', () => {
  it('lists every problem, with no cut-off', () => {
    const qs = Array.from({ length: 161 }, (_, i) => tkp({ id: `TKP-${i}`, stem: `Situasi nomor ${i}`, weights: [7, 5, 1, 2, 4] }));
    const { report } = validateBank(doc(qs), SKD_TEMPLATE);
    expect(report.errors).toHaveLength(161);
    expect(report.summary).toMatchObject({ bankId: 'b1', template: 'skd', questions: 161, valid: 0, sections: { TKP: 161 }, errors: 161, warnings: 3 });
    const text = formatReport(report);
    const lines = text.split('\n');
    expect(lines[0]).toBe('bank b1, template skd: 161 questions (TKP 161), 0 valid; 161 errors, 3 warnings');
    expect(lines[1]).toBe('161 errors:');
    expect(lines[2]).toBe('  question TKP-0: weights: section TKP: weights [7, 5, 1, 2, 4] must be an ordering of [1, 2, 3, 4, 5] (each value exactly once) [#1]');
    expect(lines.filter((l) => l.startsWith('  question TKP-'))).toHaveLength(161);
    expect(text).not.toContain('more');
  });

  it('shows where a question came from when the format knows', () => {
    const { report } = validateBank(doc([q({ key: 'F' })]), SKD_TEMPLATE, { format: 'csv', source: 'bank.csv', locations: ['line 2'] });
    expect(formatProblem(report.errors[0])).toBe('question Q1: key: key F names no option (5 options) [#1, line 2]');
    expect(formatReport(report).split('\n')[0]).toBe('bank b1 (csv bank.csv), template skd: 1 question (TWK 1), 0 valid; 1 error, 3 warnings');
  });

  it('parseBank throws the whole report as its message and the errors as details', () => {
    try {
      parseBank(doc([q({ key: 'F' }), q({ id: 'Q2', key: 'G' })]), SKD_TEMPLATE);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KacaError);
      const err = e as KacaError;
      expect(err.code).toBe('BANK_INVALID');
      expect(err.message).toContain('question Q1: key: key F names no option (5 options) [#1]');
      expect(err.message).toContain('question Q2: key: Invalid option');
      expect(err.details as BankProblem[]).toHaveLength(2);
    }
  });
});

describe('rich content', () => {
  it('accepts the allowed subset', () => {
    expect(checkRichContent('<p>Hitung \\(\\frac{1}{2}\\) &lt; x<br/><sup>2</sup></p><table><tr><td colspan="2">1</td></tr></table>')).toEqual([]);
    expect(checkRichContent('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="gambar" width="60">')).toEqual([]);
    expect(checkRichContent('a < b and b > c')).toEqual([]);
  });
  it('rejects scripts, handlers, styles, remote images and comments', () => {
    expect(checkRichContent('<svg onload=alert(1)>')).toEqual(['tag <svg> is not allowed']);
    expect(checkRichContent('<p style="x">')).toEqual(['attribute style is not allowed on <p>']);
    expect(checkRichContent('<img src="javascript:alert(1)">')).toEqual(['img src must be a data:image URI or a /media/ path']);
    expect(checkRichContent('<!-- x -->')).toHaveLength(1);
    expect(checkRichContent('<img alt=x>')).toEqual(['img needs a src']);
    expect(checkRichContent('<p<script>')).not.toEqual([]);
  });
  it('escapes plain text', () => {
    expect(textToRichContent('a<b & c\nd')).toBe('a&lt;b &amp; c<br>d');
    expect(checkRichContent(textToRichContent('<script>alert(1)</script>'))).toEqual([]);
  });
});

describe('maths as the exam client renders it', () => {
  const one = (stem: string, options = ['a', 'b', 'c', 'd', 'e']) =>
    validateBank({ format: 'kaca-bank@1', id: 'tex', title: 'TeX', questions: [{ id: 'Q1', section: 'TWK', topic: 't', stem, options, key: 'A' }] });
  const texWarnings = (r: ReturnType<typeof one>) => r.report.warnings.filter((w) => w.code === 'content').map((w) => `${w.field}: ${w.message}`);

  it('finds formulas as auto-render does: per text node, entities decoded, code and pre skipped, ends past braces', () => {
    // these render in the exam client, so they pass
    for (const stem of ['<p>\\(2 &times; 3 &le; 7\\) dan \\[\\frac{x}{7} + \\sqrt{9}\\]</p>', "<p>Perintah <code>sed 's/\\(.*\\)/x/'</code> mengganti baris</p>", '<pre>\\(tidak\\) dirender</pre>', '<p>\\(\\{a, b\\}\\) dan \\(x &lt; 2\\)</p>']) {
      expect(texWarnings(one(stem)), stem).toEqual([]);
    }
    // split by a tag, the formula is not rendered: candidates see the source
    expect(texWarnings(one('<p>\\(x<sup>2</sup>\\)</p>'))).toEqual(['stem: \\( opens TeX that is never closed with \\) in the same text']);
    // an entity no character has is a problem of the text, not a crash of the check
    expect(texWarnings(one('<p>\\(&#x110000;\\)</p>'))).toEqual([]);
  });

  it('reports what would show as red source as warnings, so the bank is still stored and an old one still verifies', () => {
    const r = one('<p>\\(\\foo{3}\\) dan \\(\\frac{1}{2\\)</p>', ['\\(\\url{http://contoh.test}\\)', 'b', 'c', 'd', 'e']);
    expect(r.bank).not.toBeNull();
    expect(r.report.errors).toEqual([]);
    expect(texWarnings(r)).toEqual([
      'stem: TeX \\(\\foo{3}\\) cannot be read: Undefined control sequence: \\foo',
      // its brace is never closed, so neither is the formula: auto-render shows the text as written
      'stem: \\( opens TeX that is never closed with \\) in the same text',
      'options[0]: TeX \\(\\url{http://contoh.test}\\) uses a command the exam client does not allow',
    ]);
  });
});
