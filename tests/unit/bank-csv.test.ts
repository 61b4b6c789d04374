import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SKD_TEMPLATE } from '../../server/src/contract/exam.js';
import { formatProblem, formatReport } from '../../server/src/domain/bank.js';
import { csvToBankDraft } from '../../question-bank/csv-bank.js';
import { detectFormat, jsonStopsAt, readBankBytes, readBankSource } from '../../question-bank/formats.js';

const naming = { id: 'csv-bank', title: 'CSV', language: 'id' };
const HEADER = 'id,section,topic,difficulty,stem,option_a,option_b,option_c,option_d,option_e,key,weight_a,weight_b,weight_c,weight_d,weight_e';
const read = (text: string) => readBankBytes(Buffer.from(text), 'bank-skd.csv', { template: SKD_TEMPLATE });
const lines = (r: ReturnType<typeof read>) => r.report.errors.map(formatProblem);

describe('bank CSV layout', () => {
  it('reads keyed and weighted rows, in any column order and case, with extra columns ignored', () => {
    const text = [
      'Stem,ID,Section,Topic,Difficulty,Option A,Option-B,option_c,OPTION_D,option_e,Key,weight_a,weight_b,weight_c,weight_d,weight_e,Catatan',
      '"<p>Lambang sila ketiga adalah ...</p>",TWK-1,TWK,pancasila,mudah,pohon beringin,bintang,rantai,padi dan kapas,kepala banteng,a,,,,,,sumber: buku',
      '"Situasi ""darurat""',
      'di dua baris",TKP-1,TKP,pelayanan,,tolong,tunda,tolak,tanya,teruskan,,3,5,1,2,4,',
    ].join('\r\n');
    const r = read(text);
    expect(r.report.errors).toEqual([]);
    expect(r.report.warnings.map(formatProblem)).toContain('bank: catatan: column catatan is not part of the bank layout and is ignored [line 1]');
    expect(r.bank).toEqual({
      id: 'bank-skd',
      title: 'bank-skd',
      language: 'id',
      questions: [
        { id: 'TWK-1', section: 'TWK', topic: 'pancasila', difficulty: 'easy', stem: '<p>Lambang sila ketiga adalah ...</p>', options: ['pohon beringin', 'bintang', 'rantai', 'padi dan kapas', 'kepala banteng'], key: 0 },
        { id: 'TKP-1', section: 'TKP', topic: 'pelayanan', stem: 'Situasi "darurat"\ndi dua baris', options: ['tolong', 'tunda', 'tolak', 'tanya', 'teruskan'], weights: [3, 5, 1, 2, 4] },
      ],
    });
  });

  it('reports each bad row with its line, including rows after a multi-line cell', () => {
    const text = [
      HEADER,
      'TWK-1,TWK,t,,"dua',
      'baris",a,b,c,d,e,,,,,,',
      'TKP-2,TKP,t,,Situasi,a,b,c,d,e,,3,x,1,2,4',
      'TKP-3,TKP,t,,Situasi lain,a,b,,d,e,,3,5,1,2,4',
      'TIU-4,TIU,t,sulit,Deret,1,2,3,4,,B,,,,,',
      'TKP-5,TKP,t,,Situasi ketiga,a,b,c,d,e,,7,5,1,2,4',
    ].join('\n');
    expect(lines(read(text))).toEqual([
      'question TWK-1: key: section TWK is keyed: give a key (the letter of the correct option, A-E) [#1, line 2]',
      'question TKP-2: weights[1]: weight "x" is not a number [#2, line 4]',
      'question TKP-3: options[2]: the option is empty [#3, line 5]',
      'question TIU-4: options: section TIU needs 5 options (A-E); this question has 4 [#4, line 6]',
      'question TKP-5: weights: section TKP: weights [7, 5, 1, 2, 4] must be an ordering of [1, 2, 3, 4, 5] (each value exactly once) [#5, line 7]',
    ]);
  });

  it('reads semicolon-separated files with a byte-order mark, as Excel writes them in Indonesia', () => {
    const text = '\uFEFF' + HEADER.replace(/,/g, ';') + '\n' + 'TWK-1;TWK;t;;Soal, dengan koma;a;b;c;d;e;C;;;;;\n';
    const draft = csvToBankDraft(text, naming);
    expect(draft.info.errors).toEqual([]);
    expect(draft.doc.questions).toEqual([{ id: 'TWK-1', section: 'TWK', topic: 't', stem: 'Soal, dengan koma', options: ['a', 'b', 'c', 'd', 'e'], key: 'C' }]);
  });

  it('reads the example in docs/bank-format.md', () => {
    const docs = readFileSync(fileURLToPath(new URL('../../docs/bank-format.md', import.meta.url)), 'utf8');
    const example = /```csv\n([\s\S]*?)```/.exec(docs)![1];
    const r = read(example);
    expect(r.report.errors).toEqual([]);
    expect(r.bank?.questions.map((q) => [q.id, q.key, q.weights])).toEqual([
      ['TWK-001', 0, undefined],
      ['TKP-001', undefined, [1, 2, 4, 5, 3]],
    ]);
  });

  it('names missing columns, a repeated column, an empty file and unbalanced quotes', () => {
    expect(lines(read('id,topic,option_a,option_b\nx,t,a,b\n'))).toEqual([
      'bank: header: the header lacks columns section, stem (columns: id, section, topic, difficulty, stem, option_a, option_b, option_c, option_d, option_e, option_f, key, weight_a, weight_b, weight_c, weight_d, weight_e, weight_f) [line 1]',
    ]);
    expect(lines(read(`${HEADER},key\n`))).toEqual(['bank: key: column key appears twice in the header [line 1]']);
    expect(lines(read(''))).toEqual(['bank: the CSV file is empty: it needs a header row and one row per question']);
    expect(lines(read(`${HEADER}\n`))).toEqual(['bank: the CSV file has a header but no question rows']);
    expect(lines(read(`${HEADER}\nTWK-1,TWK,t,,"tanpa tutup,a,b\n`))[0]).toMatch(/^bank: not a readable CSV file: Quote Not Closed.* \[line 2\]$/);
  });
});

describe('one entry point', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'kaca-bank-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const demo = fileURLToPath(new URL('../../question-bank/demo/twk.json', import.meta.url));

  it('tells formats by name and content', () => {
    expect(detectFormat(demo)).toBe('kaca');
    expect(detectFormat('x.CSV')).toBe('csv');
    expect(detectFormat('x.zip')).toBe('qti');
    expect(detectFormat(fileURLToPath(new URL('../fixtures/qti/skd-v30', import.meta.url)))).toBe('qti');
    expect(detectFormat(fileURLToPath(new URL('../fixtures/qti/skd-v30/imsmanifest.xml', import.meta.url)))).toBe('qti');
    expect(detectFormat('bank.txt')).toBeNull();
  });

  it('reads a kaca-bank file, and says so when a file is missing or unknown', () => {
    const ok = readBankSource(demo);
    expect(ok.bank?.questions.length).toBe(96);
    expect(readBankSource(demo, { id: 'lain', title: 'Judul lain' }).bank).toMatchObject({ id: 'lain', title: 'Judul lain' });
    expect(formatReport(readBankSource(join(tmp, 'missing.json')).report)).toContain(`bank: cannot read ${join(tmp, 'missing.json')}: ENOENT`);
    expect(formatReport(readBankSource(join(tmp, 'bank.txt')).report)).toContain('cannot tell the format of');
    writeFileSync(join(tmp, 'broken.json'), '{ "format": ');
    expect(readBankSource(join(tmp, 'broken.json')).report.errors[0].message).toMatch(/^not valid JSON: /);
    writeFileSync(join(tmp, 'bank.csv'), `${HEADER}\nTWK-1,TWK,t,,Soal,a,b,c,d,e,A,,,,,\n`);
    expect(readBankSource(join(tmp, 'bank.csv'), { template: SKD_TEMPLATE }).report.summary).toMatchObject({ bankId: 'bank', format: 'csv', questions: 1, valid: 1 });
  });

  it('gives the line and column of every JSON syntax error, also where V8 names no position', () => {
    const v8At = (t: string): number | null => {
      try {
        JSON.parse(t);
        return -1;
      } catch (e) {
        const m = /at position (\d+)/.exec((e as Error).message);
        return m ? Number(m[1]) : null;
      }
    };
    // where V8 names a position, the scanner finds the same one
    const placed = ['{"a":1,}', '[1,2', '{"a" 1}', '[01]', '["a\nb"]', '[1] x', '{"a":1}}', '{a:1}', '[-]', '[1.]', '["\\x"]', '{"a":1 "b":2}', '[1 2]', '[1e]', '[truex]', '"\\u12G4"'];
    for (const t of placed) expect(jsonStopsAt(t), t).toBe(v8At(t));
    // JSON is JSON, at any depth
    for (const t of ['{"a":[1,{"b":null}],"c":"\\u00e9","d":-0.5e3}', '  [ ]  ', '{}', '[true,false]', `${'['.repeat(100_000)}${']'.repeat(100_000)}`]) expect(jsonStopsAt(t), t.slice(0, 40)).toBe(-1);
    // where V8 says only "Unexpected token" or "Unexpected end": the offending token, or the end
    const unplaced: [string, number][] = [['{"a":}', 5], ['{"a":tru}', 8], ['[1,,2]', 3], ['', 0], ['[[[[', 4]];
    for (const [t, at] of unplaced) {
      expect(v8At(t), t).toBeNull();
      expect(jsonStopsAt(t), t).toBe(at);
    }
    // a bank file with a value missing on its third line: the report says where
    const broken = readBankBytes(Buffer.from('{\n  "format": "kaca-bank@1",\n  "id": ,\n  "questions": []\n}'), 'bank.json').report.errors[0];
    expect(broken.message).toBe("not valid JSON: Unexpected token ','");
    expect(broken.location).toBe('line 3, column 9');
  });

  /**
   * An MMLU-shaped folder (subject_test.csv: question,A,B,C,D,answer, no header) written here with
   * the project's own arithmetic items, so the reader is tested on every machine; the real MMLU
   * CSVs beside the repository (shared/data) are for benchmarks.
   */
  function mmluFolder(): string {
    const dir = mkdtempSync(join(tmpdir(), 'kaca-mmlu-'));
    for (const [subject, offset] of [['abstract_algebra', 0], ['anatomy', 200]] as const) {
      const rows = Array.from({ length: 100 }, (_, i) => {
        const a = offset + i;
        const answers = [a + 1, a + 2, a + 3, a + 4];
        return `"Berapakah ${a} ditambah ${(i % 4) + 1}, dalam bilangan bulat?",${answers.join(',')},${'ABCD'[i % 4]}`;
      });
      writeFileSync(join(dir, `${subject}_test.csv`), rows.join('\n') + '\n');
    }
    writeFileSync(join(dir, 'README.md'), 'not a subject file\n');
    return dir;
  }
  const mmlu = mmluFolder();
  afterAll(() => rmSync(mmlu, { recursive: true, force: true }));
  it('reads an MMLU folder as a keyed practice bank', () => {
    const r = readBankSource(mmlu, { format: 'mmlu', section: 'TIU', id: 'mmlu', limit: 150 });
    expect(r.report.errors).toEqual([]);
    expect(r.bank?.questions).toHaveLength(150);
    expect(r.bank).toMatchObject({ id: 'mmlu', language: 'en', title: 'MMLU test (TIU)' });
    expect(r.bank?.questions[0]).toMatchObject({ id: 'abstract-algebra-0001', section: 'TIU', topic: 'abstract-algebra' });
    // 100 of the first subject, then the second's, each keyed by its answer column
    expect(r.bank?.questions[100]).toMatchObject({ id: 'anatomy-0001', topic: 'anatomy', key: 0 });
    expect(r.bank?.questions.slice(0, 4).map((q) => q.key)).toEqual([0, 1, 2, 3]);
    expect(r.bank?.questions.every((q) => q.options.length === 4 && q.key !== undefined && q.key < 4)).toBe(true);
    // SKD asks for five options: a four-option practice bank is refused against it, question by question.
    const skd = readBankSource(mmlu, { format: 'mmlu', section: 'TIU', limit: 3, template: SKD_TEMPLATE });
    expect(skd.report.errors.map((e) => e.message)).toEqual(Array(3).fill('section TIU needs 5 options (A-E); this question has 4'));
  });
});
