import { describe, expect, it } from 'vitest';
import { parseBank } from '../../server/src/domain/bank.js';
import { checkRichContent, textToRichContent } from '../../server/src/domain/rich-content.js';
import { SKD_TEMPLATE } from '../../server/src/contract/exam.js';
import { KacaError } from '../../server/src/domain/errors.js';
import type { BankProblem } from '../../server/src/domain/bank.js';

const q = (over: Record<string, unknown> = {}) => ({ id: 'Q1', section: 'TWK', topic: 't', stem: '<p>Soal</p>', options: ['a', 'b', 'c', 'd', 'e'], key: 'B', ...over });
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

describe('bank parsing', () => {
  it('converts letters to option indexes', () => {
    const bank = parseBank(doc([q(), q({ id: 'Q2', section: 'TKP', key: undefined, weights: [1, 2, 3, 4, 5] })]), SKD_TEMPLATE);
    expect(bank.questions[0].key).toBe(1);
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
          q({ id: 'Q9', options: ['a', '<img src="http://evil/x.png">'] }),
        ]),
        SKD_TEMPLATE,
      ),
    );
    const by = (id: string) => list.filter((p) => p.questionId === id).map((p) => `${p.field}: ${p.message}`);
    expect(by('Q2')).toEqual(['key: key F names no option (5 options)']);
    expect(by('Q3')[0]).toMatch(/^options/);
    expect(by('Q4')).toEqual(expect.arrayContaining(['stem: attribute onclick is not allowed on <p>', 'stem: tag <script> is not allowed']));
    expect(by('Q1')).toEqual(['id: duplicate id (also question #1)']);
    expect(by('Q6')[0]).toContain('section XYZ is not in template skd');
    expect(by('Q7')).toEqual(['key: give exactly one of key or weights']);
    expect(by('Q8')).toEqual(['weights: section TKP is weighted: give weights']);
    expect(by('Q9')).toEqual(['options[1]: img src must be a data:image URI or a /media/ path']);
  });
  it('rejects a document that is not a bank', () => {
    expect(problems(() => parseBank({ format: 'other', questions: [] }))[0].field).toBe('format');
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
