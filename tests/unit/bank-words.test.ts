import { describe, expect, it } from 'vitest';
import { SKD_TEMPLATE } from '../../server/src/contract/exam.js';
import { validateBank, type BankReport } from '../../server/src/domain/bank.js';
import { readBankBytes } from '../../question-bank/formats.js';
import { bankLocationId, bankProblemId } from '../../proctor-console/src/admin/bank-words.js';
import { item3, package3, UNSUPPORTED_ITEMS } from '../helpers/qti.js';

/** English words the check writes and no Indonesian finding should keep (names of XML elements and the file's own text aside). */
const ENGLISH = /\b(is|are|the|give|must|needs|remove|instead|appears|times|valid|deals|paper|only|found|which|cannot|empty|not|has|have|also|share|their|same|lacks|ignored)\b/;
/** Findings that quote text from outside Kaca (a parser's, the zip library's): only Kaca's own words around it are checked. */
const QUOTES = /^(not well-formed XML|not a readable|not valid JSON|a MathML formula|TeX )/;

const messages = (report: BankReport) => [...report.errors, ...report.warnings].map((p) => p.message);

function expectAllSaid(found: string[]): void {
  for (const m of found) {
    const said = bankProblemId(m);
    expect(said, m).not.toBe(m);
    if (!QUOTES.test(m)) expect(said, m).not.toMatch(ENGLISH);
  }
}

const five = (tag: string) => ['A', 'B', 'C', 'D', 'E'].map((l) => `pilihan ${l} ${tag}`);
const twk = (id: string, over: Record<string, unknown> = {}) => ({ id, section: 'TWK', topic: 't', stem: `<p>Pokok soal ${id}</p>`, options: five(id), key: 'A', ...over });
const tkp = (id: string, over: Record<string, unknown> = {}) => ({ id, section: 'TKP', topic: 't', stem: `<p>Pokok soal ${id}</p>`, options: five(id), weights: [1, 2, 3, 4, 5], ...over });
const doc = (questions: unknown[]) => ({ format: 'kaca-bank@1', id: 'uji', title: 'Uji', questions });

describe('the bank check in Indonesian', () => {
  it('says every finding of the bank rules, rich content and the field shapes in Indonesian', () => {
    const sameStem = '<p>Pokok soal yang sama persis untuk beberapa soal di bank ini.</p>';
    const questions = [
      twk('K1', { key: undefined }),
      twk('K2', { key: undefined, weights: [1, 2, 3, 4, 5] }),
      twk('K3', { weights: [1, 2, 3, 4, 5] }),
      tkp('W1', { weights: undefined }),
      tkp('W2', { weights: undefined, key: 'B' }),
      tkp('W3', { key: 'B' }),
      tkp('W4', { weights: [1, 1, 2, 3, 4] }),
      tkp('W5', { weights: [1, 2, 3, 4] }),
      twk('O4', { options: five('O4').slice(0, 4) }),
      twk('KF', { key: 'F' }),
      twk('SX', { section: 'XYZ' }),
      twk('DUP'),
      twk('DUP'),
      twk('N1', { stem: sameStem, options: five('sama') }),
      twk('N2', { stem: sameStem, options: five('sama') }),
      twk('N3', { stem: sameStem }),
      twk('S1', { stem: '<p>Kantor layanan desa membuka antrean pagi untuk warga yang mengurus berkas kependudukan dan surat keterangan usaha</p>' }),
      twk('S2', { stem: '<p>Kantor layanan desa membuka antrean pagi untuk warga yang mengurus berkas kependudukan dan surat keterangan usaha baru</p>', options: five('S1') }),
      twk('R1', { stem: '<!-- catatan --><p>a</p>' }),
      twk('R2', { stem: '<script>x</script>' }),
      twk('R3', { stem: '<p>a</p class="x">' }),
      twk('R4', { stem: '<img alt="x">' }),
      twk('R5', { stem: '<img src="http://contoh.test/a.png">' }),
      twk('R6', { stem: '<table><tr><td colspan="dua">a</td></tr></table>' }),
      twk('R7', { stem: '<p onclick="x">a</p>' }),
      twk('R8', { stem: '<p>a</p><b' }),
      twk('R9', { stem: '<p ="x">a</p>' }),
      twk('T1', { stem: '<p>\\(\\foo{3}\\)</p>' }),
      twk('T2', { stem: '<p>Nilai \\(x^2</p>', options: ['\\[\\sqrt{9}', 'b', 'c', 'd', 'e'] }),
      twk('T3', { stem: '<p>Buka \\(\\href{http://contoh.test}{tautan}\\)</p>' }),
      twk('bad id'),
      twk('F1', { stem: '  ' }),
      twk('F2', { options: ['a', ' '] }),
      twk('F3', { options: ['a'] }),
      twk('F4', { options: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }),
      tkp('F5', { weights: ['', 'x', 1.5, 500, -500] }),
      twk('F6', { topic: undefined }),
      twk('F7', { stem: 7 }),
      twk('F8', { difficulty: 'sulit' }),
      twk('F9', { catatan: 'x' }),
      twk('F10', { topic: '' }),
      twk('F11', { topic: 'x'.repeat(70) }),
      twk('F12', { stem: 'a\u0000b' }),
      5,
    ];
    const found = messages(validateBank(doc(questions), SKD_TEMPLATE).report);
    // without a template, the scoring rules that need none; a file head that is not a bank
    found.push(...messages(validateBank(doc([twk('T1', { key: undefined }), twk('T2', { weights: [1, 2, 3, 4, 5] })])).report));
    found.push(...messages(validateBank({ format: 'kaca-bank@2', id: 'uji', title: 'Uji', questions: [] }).report));
    found.push(...messages(validateBank(doc([twk('SATU')]), SKD_TEMPLATE).report));
    // every sentence the rules write, at least once
    expect(new Set(found.map((m) => m.replace(/\d+/g, 'N').replace(/[A-Z]+-?\S*/g, 'X'))).size).toBeGreaterThanOrEqual(45);
    expectAllSaid(found);
    // TeX the exam client's KaTeX could not render, found by the same KaTeX: the candidate would see red source
    expect(found).toEqual(
      expect.arrayContaining(['TeX \\(\\foo{3}\\) cannot be read: Undefined control sequence: \\foo', '\\( opens TeX that is never closed with \\) in the same text', '\\[ opens TeX that is never closed with \\] in the same text', 'TeX \\(\\href{http://contoh.test}{tautan}\\) uses a command the exam client does not allow']),
    );
    expect(bankProblemId('\\( opens TeX that is never closed with \\) in the same text')).toBe('\\( membuka TeX yang tidak ditutup dengan \\) di teks yang sama');
    // options given as one string are that one problem, not also "at most 6 options" (zod measured the string)
    const asText = validateBank(doc([twk('OS', { options: 'pilihan A; pilihan B; pilihan C; pilihan D; pilihan E' })]), SKD_TEMPLATE).report.errors;
    expect(asText.map((p) => `${p.field}: ${p.message}`)).toEqual(['options: Invalid input: expected array, received string']);
    // a script tag is one problem, not one for its opening and one for its closing tag
    expect(found.filter((m) => m === 'tag <script> is not allowed')).toHaveLength(1);
    // a weight out of range is named as such (zod's number check used to call 500 "not a number")
    expect(found).toEqual(expect.arrayContaining(['weight 500 is above 100', 'weight -500 is below -100', 'weight 1.5 is not a whole number', 'weight "x" is not a number', 'the weight is missing']));

    expect(bankProblemId('section TKP is weighted: give weights, one per option (1-5), instead of a key')).toBe('bagian TKP dinilai dengan bobot: isi bobot, satu untuk tiap pilihan (1-5), bukan kunci');
    expect(bankProblemId('questions N1 (#14), N2 (#15) and N3 (#16) have the same stem; N1 (#14) and N2 (#15) also have the same options in the same order')).toBe(
      'soal N1 (#14), N2 (#15) dan N3 (#16) memiliki pokok soal yang sama; N1 (#14) dan N2 (#15) juga memiliki pilihan yang sama dengan urutan yang sama',
    );
    expect(bankProblemId('Invalid input: expected string, received undefined')).toBe('belum diisi: seharusnya teks');
    expect(bankProblemId('section TWK has 1 valid question; template skd deals 30 per paper')).toBe('bagian TWK punya 1 soal yang sah; templat skd membagikan 30 soal per naskah');
  });

  it('says what the CSV reader and the file as a whole find in Indonesian', () => {
    const read = (text: string, name = 'bank.csv') => messages(readBankBytes(Buffer.from(text), name, { template: SKD_TEMPLATE }).report);
    const found = [
      ...read(''),
      ...read('id,section,topic,stem,option_A,option_B,key\n'),
      ...read('id,id,section,catatan\nTWK-1,TWK-1,TWK,x\n'),
      ...read('id,section,topic,stem,option_A,option_B,key\nTWK-1,TWK,t,"tidak ditutup\n'),
      ...read('{', 'bank.json'),
      ...read('{"format": "kaca-bank@1",\n  id: 1}', 'bank.json'),
      ...read('x', 'bank.txt'),
    ];
    expect(found.length).toBeGreaterThanOrEqual(6);
    expectAllSaid(found);
    expect(bankLocationId('line 12')).toBe('baris 12');
    // JSON.parse's complaint in Indonesian, and where it stopped as an editor counts it
    const syntax = readBankBytes(Buffer.from('{"format": "kaca-bank@1",\n  id: 1}'), 'bank.json').report.errors[0];
    expect(syntax.location).toBe('line 2, column 3');
    expect(bankProblemId(syntax.message)).toBe('bukan JSON yang sah: nama kolom harus di antara tanda petik ganda');
    expect(bankLocationId(syntax.location!)).toBe('baris 2, kolom 3');
    expect(bankLocationId('items/TWK-1.xml')).toBe('items/TWK-1.xml');
  });

  it('says what the QTI reader finds in Indonesian', () => {
    const kw = ['section:TWK', 'topic:t'];
    const choices = (n: number) => Array.from({ length: n }, (_, i) => `<qti-simple-choice identifier="C${i}">pilihan ${i}</qti-simple-choice>`).join('');
    const read = (items: Parameters<typeof package3>[0], extra?: Record<string, Uint8Array>) => messages(readBankBytes(package3(items, extra), 'p.zip', { template: SKD_TEMPLATE }).report);
    const found = [
      ...read([
        ...UNSUPPORTED_ITEMS,
        { file: 'items/M10b.xml', xml: item3('TWK-M10b', '<p>a</p>', { response: '<qti-correct-response><qti-value>A</qti-value><qti-value>B</qti-value></qti-correct-response>' }), keywords: kw },
        { file: 'items/M12.xml', xml: item3('TWK-M12', '<p>a</p>', { interaction: `<qti-choice-interaction response-identifier="RESPONSE" max-choices="1">${choices(7)}</qti-choice-interaction>` }), keywords: kw },
        { file: 'items/M13.xml', xml: '<qti-assessment-test identifier="T"/>', keywords: kw },
        { file: 'items/M14.xml', xml: '<qti-assessment-item><qti-item-body/></qti-assessment-item>', keywords: kw },
        { file: 'items/M15.xml', xml: '<qti-assessment-item identifier="TWK-M15"/>', keywords: kw },
        { file: 'items/M16.xml', xml: item3('TWK-M16', '<p><img src="../images/a.bmp" alt=""/></p>'), keywords: kw },
        { file: 'items/M17.xml', xml: item3('TWK-M17', '<p><img src="../images/big.png" alt=""/></p>'), keywords: kw },
        { file: 'items/M18.xml', xml: item3('TWK-M18', '<p><object type="video/mp4" data="a.mp4"/></p>'), keywords: kw },
        { file: 'items/M19.xml', xml: item3('TKP-M19', '<p>a</p>', { template: 'map_response', response: '' }).replace('</qti-response-declaration>', '<qti-mapping default-value="0"><qti-map-entry map-key="Q" mapped-value="1"/></qti-mapping></qti-response-declaration>'), keywords: ['section:TKP', 'topic:t'] },
        { file: 'items/M20.xml', xml: item3('TWK-M20', '<p>a</p>').replace('cardinality="single"', 'cardinality="multiple"'), keywords: kw },
        { file: 'items/M21.xml', xml: item3('TWK-M21', '<p>a</p>').replace('response-identifier="RESPONSE"', 'response-identifier="LAIN"'), keywords: kw },
        { file: 'items/M22.xml', xml: item3('TWK-M22', '<p>a</p>'), keywords: ['section:TWK'] },
      ], { 'images/a.bmp': Buffer.from('BM'), 'images/big.png': new Uint8Array(200_000) }),
      ...messages(readBankBytes(package3([]), 'p.zip').report),
      ...messages(readBankBytes(Buffer.from('bukan zip'), 'p.zip').report),
    ];
    expect(found.length).toBeGreaterThanOrEqual(24);
    expectAllSaid(found);
    // what is hard to bring about in a test: a reader's limits
    expectAllSaid(['the zip holds more than 100000 files', 'soal.xml is larger than 64 MB', 'the zip unpacks to more than 1024 MB', 'the XML document has no root element']);
    expect(bankProblemId('image ../images/big.png is 196 KB: an image kept inside a question can be at most 140 KB')).toBe('gambar ../images/big.png berukuran 196 KB: gambar di dalam soal paling besar 140 KB');
  });

  it('shows a sentence it does not know as it came', () => {
    expect(bankProblemId('something new')).toBe('something new');
  });
});
