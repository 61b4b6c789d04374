import { describe, expect, it } from 'vitest';
import { decodeBankLines, encodeBankLines } from '../../server/src/db/bank-lines.js';
import { demoBank } from '../../question-bank/index.js';

describe('a bank as lines for the writer thread', () => {
  it('comes back the same, line breaks, non-Latin text and figures included, from shared memory', () => {
    const demo = demoBank();
    const bank = { ...demo, title: 'Bank “ujian” – ✓', questions: [{ ...demo.questions[0], stem: '<p>baris satu\nbaris dua ½ 日本 \\(x^2\\)</p>' }, ...demo.questions.slice(1)] };
    const bytes = encodeBankLines(bank);
    expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    const [head, ...rest] = [...decodeBankLines(bytes)];
    expect(head).toEqual({ head: { id: bank.id, title: bank.title, language: bank.language } });
    expect(rest.map((r) => ('question' in r ? r.question : null))).toEqual(bank.questions);
  });
});
