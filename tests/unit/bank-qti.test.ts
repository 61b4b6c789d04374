import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { SKD_TEMPLATE } from '../../server/src/contract/exam.js';
import { formatProblem, type ParsedBank } from '../../server/src/domain/bank.js';
import { demoBank } from '../../question-bank/index.js';
import { exportQti, readBankBytes, readBankSource } from '../../question-bank/formats.js';
import { mathmlToTex } from '../../question-bank/qti/mathml.js';
import { parseXml, type XElement } from '../../question-bank/qti/xml.js';
import { item3, package3, UNSUPPORTED_ITEMS } from '../helpers/qti.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/qti/', import.meta.url));
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAAAAACMmsGiAAAAE0lEQVR4nGP4z/CfgYHhPxSCWQBPxAf5S1ZtaQAAAABJRU5ErkJggg==';
const SVG = readFileSync(join(FIXTURES, 'skd-v21/images/segitiga.svg')).toString('base64');

/** A fixture folder as zip bytes, optionally under a top folder as zipping a folder makes. */
function zipFolder(dir: string, prefix = ''): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else files[prefix + relative(dir, full).split('\\').join('/')] = readFileSync(full);
    }
  };
  walk(dir);
  return zipSync(files);
}

const problemLines = (r: { report: { errors: Parameters<typeof formatProblem>[0][] } }) => r.report.errors.map(formatProblem);

describe('QTI 2.1 import', () => {
  const expected: ParsedBank = {
    id: 'latihan-v21',
    title: 'Latihan SKD (QTI 2.1)',
    language: 'id',
    questions: [
      {
        id: 'TWK-PAN-101',
        section: 'TWK',
        topic: 'pancasila',
        difficulty: 'easy',
        stem: '<p>Sila keempat Pancasila menekankan cara mengambil keputusan bersama.</p> <p>Cara yang paling sesuai dengan sila tersebut adalah ...</p>',
        options: ['musyawarah untuk mencapai mufakat', 'pemungutan suara tanpa diskusi', 'keputusan pimpinan tertinggi saja', 'undian di antara&nbsp;usulan', 'suara kelompok yang paling keras'],
        key: 0,
      },
      {
        id: 'TIU-NUM-201',
        section: 'TIU',
        topic: 'numerik',
        difficulty: 'medium',
        stem: '<p>Diketahui \\(x^2 = 49\\) dan x > 0.</p> <p>Nilai dari \\[\\frac{x}{7} + \\sqrt{9}\\] adalah ...</p>',
        options: ['3', '4', '7', '10', '\\(4 \\times 7\\)'],
        key: 1,
      },
      {
        id: 'TIU-FIG-301',
        section: 'TIU',
        topic: 'figural',
        stem: `<div> <p>Perhatikan bangun berikut.</p> <p><img src="data:image/svg+xml;base64,${SVG}" alt="bangun datar" width="60" height="52"></p> <p>Banyak sisi bangun tersebut adalah ...</p> </div>`,
        options: ['tiga', 'empat', 'lima', 'enam', 'delapan'],
        key: 0,
      },
      {
        id: 'TKP-KSM-401',
        section: 'TKP',
        topic: 'kerja-sama',
        stem: '<p>Rekan satu tim meminta bantuan menyelesaikan laporannya, padahal tugas Anda sendiri belum selesai.</p> <p>Sikap Anda ...</p>',
        options: [
          'menolak dengan sopan karena tugas sendiri lebih dulu',
          'menyepakati pembagian waktu agar kedua tugas selesai',
          'mengabaikan permintaan tersebut',
          'membantu setelah jam kerja bila sempat',
          'meminta atasan menunjuk rekan lain yang lebih longgar',
        ],
        weights: [2, 5, 1, 3, 4],
      },
    ],
  };

  it('reads a package folder: keyed and weighted items, MathML, images, LOM metadata', () => {
    const r = readBankSource(join(FIXTURES, 'skd-v21'), { template: SKD_TEMPLATE });
    expect(r.report.errors).toEqual([]);
    expect(r.bank).toEqual(expected);
    expect(r.report.summary).toMatchObject({ format: 'qti', questions: 4, valid: 4, sections: { TWK: 1, TIU: 2, TKP: 1 } });
    expect(r.report.warnings.map(formatProblem)[0]).toBe('bank: resources not read (Kaca imports items only): TEST-1 (imsqti_test_xmlv2p1) [imsmanifest.xml]');
  });

  it('reads the same package zipped, also with the folder inside the zip', () => {
    expect(readBankBytes(zipFolder(join(FIXTURES, 'skd-v21')), 'latihan.zip', { template: SKD_TEMPLATE }).bank).toEqual(expected);
    expect(readBankBytes(zipFolder(join(FIXTURES, 'skd-v21'), 'skd-v21/'), 'latihan.zip', { template: SKD_TEMPLATE }).bank).toEqual(expected);
  });

  it('takes a section from the identifier prefix only with a template, else from --section', () => {
    const noTemplate = readBankSource(join(FIXTURES, 'skd-v21'));
    expect(problemLines(noTemplate)).toEqual([
      'question TKP-KSM-401: qti: no section: give the manifest resource a LOM keyword section:<id>, start the identifier with a section id (TWK-...), or import with --section [#4, items/tkp-kerjasama.xml]',
    ]);
    const withSection = readBankSource(join(FIXTURES, 'skd-v21'), { section: 'TKP' });
    expect(withSection.bank?.questions[3]).toMatchObject({ section: 'TKP', topic: 'kerja-sama', weights: [2, 5, 1, 3, 4] });
  });
});

describe('QTI 3.0 import', () => {
  it('reads kebab-case items, prompts with paragraphs, LOM difficulty and $...$ TeX', () => {
    const r = readBankSource(join(FIXTURES, 'skd-v30'), { template: SKD_TEMPLATE });
    expect(r.report.errors).toEqual([]);
    expect(r.report.warnings.filter((w) => w.code !== 'section')).toEqual([]);
    expect(r.bank).toEqual({
      id: 'skd-v30',
      title: 'Latihan SKD (QTI 3.0)',
      language: 'id',
      questions: [
        {
          id: 'TWK-NKRI-102',
          section: 'TWK',
          topic: 'nkri',
          stem: '<p>Menurut Pasal 1 ayat (1) UUD 1945, Indonesia adalah negara <em>kesatuan</em> yang berbentuk ...</p>',
          options: ['federasi', 'kerajaan', 'serikat', 'republik', 'persemakmuran'],
          key: 3,
        },
        {
          id: 'TIU-POLA-302',
          section: 'TIU',
          topic: 'figural',
          difficulty: 'hard',
          stem: `<p>Gambar berikut berukuran 4 × 4 kotak: <img src="data:image/png;base64,${PNG}" alt="pola papan catur" width="40"></p> <p>Jika setiap sisi diperbesar dua kali, luasnya menjadi \\(2^2\\) kali semula, sedangkan harga Rp$5 tetap.</p> <p>Berapa kotak yang berwarna putih pada gambar?</p>`,
          options: ['8', '4', '6', '10', '\\[\\sqrt{16}\\]'],
          key: 0,
        },
        {
          id: 'TKP-PEL-402',
          section: 'TKP',
          topic: 'pelayanan-publik',
          difficulty: 'easy',
          stem: '<p>Seorang warga datang lima menit sebelum loket tutup dengan berkas yang belum lengkap.</p><p>Tindakan Anda ...</p>',
          options: [
            'mencatat kekurangan berkas dan memintanya kembali besok pagi',
            'menyuruhnya pulang karena loket hampir tutup',
            'memeriksa berkas, menjelaskan kekurangannya, dan menerima yang sudah lengkap',
            'menyerahkannya kepada petugas lain',
            'menerima berkas apa adanya tanpa penjelasan',
          ],
          weights: [4, 1, 5, 2, 3],
        },
      ],
    });
  });
});

describe('QTI items outside the subset', () => {
  const read = (items: Parameters<typeof package3>[0], extra?: Record<string, Uint8Array>) => readBankBytes(package3(items, extra), 'p.zip', { template: SKD_TEMPLATE });

  it('names the item and what to change', () => {
    const r = read(UNSUPPORTED_ITEMS);
    expect(r.bank).toBeNull();
    expect(r.report.summary).toMatchObject({ questions: 11, valid: 0 });
    expect(problemLines(r)).toEqual([
      'question TWK-M1: qti: choiceInteraction has maxChoices=3: Kaca questions take exactly one answer (maxChoices=1) [#1, items/M1.xml]',
      'question TWK-M2: qti: only items with one choiceInteraction can be imported (found: textEntryInteraction) [#2, items/M2.xml]',
      'question TWK-M3: qti: a MathML formula cannot be turned into TeX (MathML <mmultiscripts> has no TeX form here): write it as TeX between \\( and \\) [#3, items/M3.xml]',
      'question TWK-M4: qti: image ../images/none.png is not in the package [#4, items/M4.xml]',
      'question TWK-M5: qti: image http://example.org/x.png is outside the package: a test hall has no internet, so put the image file in the package [#5, items/M5.xml]',
      'question M6: qti: no section: give the manifest resource a LOM keyword section:<id>, start the identifier with a section id (TWK-...), or import with --section [#6, items/M6.xml]',
      "qti: not well-formed XML: Expected closing tag 'qti-item-body' (opened in line 1, col 42) instead of closing tag 'qti-assessment-item'. (line 1, column 57) [#7, items/M7.xml]",
      'qti: the manifest lists items/gone.xml, which is not in the package [#8, items/gone.xml]',
      'question TWK-M9: qti: correctResponse names Z, which is not one of the choices (A, B, C, D, E) [#9, items/M9.xml]',
      'question TWK-M9: key: section TWK is keyed: give a key (the letter of the correct option, A-E) [#9, items/M9.xml]',
      'question TKP-M10: weights: section TKP is weighted: give weights, one per option (1-5), instead of a key [#10, items/M10.xml]',
      'question TWK-M11: qti: <feedbackBlock> is not supported: Kaca shows a stem and its options only [#11, items/M11.xml]',
    ]);
  });

  it('reports a package without a manifest, and bytes that are not a zip', () => {
    expect(problemLines(readBankBytes(zipSync({ 'a.xml': Buffer.from('<a/>') }), 'p.zip'))).toEqual(['bank: no imsmanifest.xml: a QTI content package lists its items in imsmanifest.xml at its root']);
    expect(problemLines(readBankBytes(Buffer.from('not a zip'), 'p.zip'))[0]).toMatch(/^bank: not a readable zip file: /);
  });

  it('lets the section decide between a correct response and a mapping', () => {
    const both = '<qti-correct-response><qti-value>B</qti-value></qti-correct-response><qti-mapping default-value="0"><qti-map-entry map-key="A" mapped-value="3"/><qti-map-entry map-key="B" mapped-value="5"/><qti-map-entry map-key="C" mapped-value="1"/><qti-map-entry map-key="D" mapped-value="2"/><qti-map-entry map-key="E" mapped-value="4"/></qti-mapping>';
    const r = read([
      { file: 'a.xml', xml: item3('TWK-B1', '<p>Soal satu</p>', { response: both }), keywords: ['section:TWK', 'topic:t'] },
      { file: 'b.xml', xml: item3('TKP-B2', '<p>Soal dua</p>', { response: both }), keywords: ['section:TKP', 'topic:t'] },
    ]);
    expect(r.bank?.questions.map((q) => [q.key, q.weights])).toEqual([
      [1, undefined],
      [undefined, [3, 5, 1, 2, 4]],
    ]);
  });
});

describe('MathML to TeX', () => {
  const tex = (mathml: string) => {
    const parsed = parseXml(`<math xmlns="http://www.w3.org/1998/Math/MathML">${mathml}</math>`);
    if ('error' in parsed) throw new Error(parsed.error);
    return mathmlToTex(parsed.root as XElement);
  };
  const cases: [string, string][] = [
    ['<msup><mi>x</mi><mn>2</mn></msup>', 'x^2'],
    ['<msubsup><mi>a</mi><mi>i</mi><mn>10</mn></msubsup>', 'a_i^{10}'],
    ['<mfrac><mrow><mi>a</mi><mo>+</mo><mn>1</mn></mrow><mi>b</mi></mfrac>', '\\frac{a + 1}{b}'],
    ['<mroot><mi>x</mi><mn>3</mn></mroot><mo>≤</mo><msqrt><mn>2</mn><mi>π</mi></msqrt>', '\\sqrt[3]{x} \\le \\sqrt{2 \\pi}'],
    ['<mfenced><mi>a</mi><mi>b</mi></mfenced>', '\\left( a , b \\right)'],
    ['<mover><mi>AB</mi><mo>¯</mo></mover>', '\\overline{\\mathrm{AB}}'],
    ['<munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover><mi>i</mi>', '\\sum_{i = 1}^n i'],
    ['<mi>sin</mi><mi>θ</mi><mo>×</mo><mn>3</mn><mo>&#x2062;</mo><mi>y</mi>', '\\sin \\theta \\times 3 y'],
    ['<mtable><mtr><mtd><mn>1</mn></mtd><mtd><mn>0</mn></mtd></mtr><mtr><mtd><mn>0</mn></mtd><mtd><mn>1</mn></mtd></mtr></mtable>', '\\begin{matrix} 1 & 0 \\\\ 0 & 1 \\end{matrix}'],
    ['<mtext>harga 50% &amp; {diskon}</mtext>', '\\text{harga 50\\% \\& \\{diskon\\}}'],
    ['<semantics><mi>z</mi><annotation encoding="application/x-tex">\\zeta</annotation></semantics>', '\\zeta'],
  ];
  it.each(cases)('%s', (mathml, expected) => {
    const out = tex(mathml);
    expect(out).toBe(expected);
    // What the exam client's KaTeX would do with it: no error.
    expect(() => katex.renderToString(out, { throwOnError: true })).not.toThrow();
  });
});

/** A bank in the canonical spelling the importer writes: exporting and importing it changes nothing. */
const canonicalBank: ParsedBank = {
  id: 'round-trip',
  title: 'Bank "uji" & ekspor',
  language: 'id',
  questions: [
    { id: 'TWK-1', section: 'TWK', topic: 'pancasila', difficulty: 'easy', stem: '<p>Baris satu<br>baris <b>dua</b> &amp; <i>tiga</i> &lt; empat > lima</p>', options: ['a', 'b', 'c', 'd', 'e'], key: 4 },
    { id: 'TIU-1', section: 'TIU', topic: 'numerik', stem: '<p>Hitung \\(\\frac{1}{2} + x^2\\) jika harga Rp$5 dan&nbsp;$x$.</p><table><tr><td colspan="2">1</td></tr><tr><td>2</td><td>3</td></tr></table>', options: ['\\(1\\)', '2<sup>3</sup>', 'H<sub>2</sub>O', '"kutip"', "'satu'"], key: 1 },
    { id: 'TIU-2', section: 'TIU', topic: 'figural', difficulty: 'hard', stem: `<p>Gambar: <img src="data:image/png;base64,${PNG}" alt="pola" width="40"> dan <img src="data:image/svg+xml;base64,${SVG}" alt="segitiga"></p>`, options: [`<img src="data:image/png;base64,${PNG}" alt="A">`, '<img src="/media/tiu/b.png" alt="B">', '<img src="data:image/png;base64, AAAA" alt="C">', 'D'], key: 0 },
    { id: 'TKP-1', section: 'TKP', topic: 'pelayanan', difficulty: 'medium', stem: '<ul><li>Situasi</li><li>lanjutan</li></ul><blockquote>kutipan</blockquote><pre>  baris\n  spasi</pre>', options: ['a', 'b', 'c', 'd', 'e', 'f'], weights: [3, 5, 1, 2, 4, 0] },
    { id: '9-mulai-angka', section: 'X', topic: 'lain', stem: 'teks tanpa tag', options: ['ya', 'tidak'], key: 0 },
  ],
};

describe('QTI 3.0 export', () => {
  it('imports back unchanged', () => {
    const r = readBankBytes(exportQti(canonicalBank), 'export.zip');
    expect(r.report.errors).toEqual([]);
    expect(r.bank).toEqual(canonicalBank);
  });

  it('round-trips the demo SKD bank', () => {
    const bank = demoBank(SKD_TEMPLATE);
    const r = readBankBytes(exportQti(bank), 'demo.zip', { template: SKD_TEMPLATE });
    expect(r.report.errors).toEqual([]);
    expect(r.bank).toEqual(bank);
  });

  it('writes a content package: manifest, one item per question, images as files', () => {
    const zip = exportQti(canonicalBank);
    expect(exportQti(canonicalBank)).toEqual(zip);
    const files = unzipSync(zip);
    const media = Object.keys(files).filter((f) => f.startsWith('media/'));
    expect(media.map((m) => m.replace(/[0-9a-f]{16}/, 'H')).sort()).toEqual(['media/H.png', 'media/H.svg']);
    expect(Buffer.from(files[media.find((m) => m.endsWith('.png'))!]).toString('base64')).toBe(PNG);
    const manifest = strFromU8(files['imsmanifest.xml']);
    expect(manifest).toContain('<resource identifier="item-TWK-1" type="imsqti_item_xmlv3p0" href="items/TWK-1.xml">');
    expect(manifest).toContain('<lom:keyword><lom:string>section:TWK</lom:string></lom:keyword><lom:keyword><lom:string>topic:pancasila</lom:string></lom:keyword><lom:keyword><lom:string>difficulty:easy</lom:string></lom:keyword>');
    const twk = strFromU8(files['items/TWK-1.xml']);
    expect(twk).toContain('<qti-correct-response><qti-value>E</qti-value></qti-correct-response>');
    expect(twk).toContain('<qti-prompt><p>Baris satu<br/>baris <b>dua</b> &amp; <i>tiga</i> &lt; empat &gt; lima</p></qti-prompt>');
    expect(twk).toContain('rptemplates/match_correct.xml');
    const tkpItem = strFromU8(files['items/TKP-1.xml']);
    expect(tkpItem).toContain('<qti-mapping default-value="0"><qti-map-entry map-key="A" mapped-value="3"/><qti-map-entry map-key="B" mapped-value="5"/>');
    expect(tkpItem).toContain('rptemplates/map_response.xml');
    const figural = strFromU8(files['items/TIU-2.xml']);
    expect(figural).toContain('<img src="/media/tiu/b.png" alt="B"/>');
    expect(figural).toContain('<img src="data:image/png;base64, AAAA" alt="C"/>');
    for (const [name, data] of Object.entries(files)) if (name.endsWith('.xml')) expect(parseXml(strFromU8(data))).not.toHaveProperty('error');
  });

  it('writes other HTML spellings as XHTML, which come back in the canonical spelling', () => {
    const loose: ParsedBank = { ...canonicalBank, questions: [{ id: 'L1', section: 'S', topic: 't', stem: '<p>a<br/>b &gt; c&nbsp;d &copy; <img src=/media/x.png alt=x></p><p>tidak ditutup', options: ['&#65;', '<B>b</B>'], key: 0 }] };
    const back = readBankBytes(exportQti(loose), 'x.zip').bank!.questions[0];
    expect(back.stem).toBe('<p>a<br>b > c&nbsp;d © <img src="/media/x.png" alt="x"></p><p>tidak ditutup</p>');
    expect(back.options).toEqual(['A', '<b>b</b>']);
  });
});
