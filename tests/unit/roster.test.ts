import { describe, expect, it } from 'vitest';
import { SKD_TEMPLATE } from '../../server/src/contract/exam.js';
import { candidateGroups, resolveGroup } from '../../server/src/domain/groups.js';
import { rosterProblemId } from '../../proctor-console/src/admin/roster-words.js';
import { checkRoster, seatPosition, type RosterContext } from '../../server/src/domain/roster.js';
import { evaluate, thresholdSetFor } from '../../server/src/domain/scoring.js';
import { parseCsvLines } from '../../server/src/services/csv.js';
import { smallTemplate } from '../helpers/bank.js';

const ctx = (over: Partial<RosterContext> = {}): RosterContext => ({ template: SKD_TEMPLATE, sittingId: 's1', room: { rows: null, cols: null }, existing: [], formations: [], ...over });
const check = (csv: string, c = ctx()) => {
  const { rows, lines } = parseCsvLines(csv);
  return checkRoster(rows, lines, c);
};

describe('candidate groups', () => {
  it('lists every group of the template and every threshold set by its id', () => {
    expect(candidateGroups(SKD_TEMPLATE)).toEqual([
      { group: 'umum', thresholdSet: 'umum' },
      { group: 'cumlaude', thresholdSet: 'cumlaude-diaspora' },
      { group: 'diaspora', thresholdSet: 'cumlaude-diaspora' },
      { group: 'disabilitas', thresholdSet: 'khusus-2024' },
      { group: 'papua', thresholdSet: 'khusus-2024' },
      { group: 'daerah-tertinggal', thresholdSet: 'khusus-2024' },
      { group: 'cumlaude-diaspora', thresholdSet: 'cumlaude-diaspora' },
      { group: 'khusus-2024', thresholdSet: 'khusus-2024' },
    ]);
  });

  it('takes any letter case, an empty cell as the default, and refuses an unknown group naming what it accepts', () => {
    expect(resolveGroup(SKD_TEMPLATE, ' Disabilitas ')).toEqual({ ok: true, choice: { group: 'disabilitas', thresholdSet: 'khusus-2024' } });
    expect(resolveGroup(SKD_TEMPLATE, '')).toEqual({ ok: true, choice: { group: 'umum', thresholdSet: 'umum' } });
    expect(resolveGroup(SKD_TEMPLATE, 'tunanetra')).toEqual({
      ok: false,
      message: 'group "tunanetra" is not in template skd: use one of umum, cumlaude, diaspora, disabilitas, papua, daerah-tertinggal, cumlaude-diaspora, khusus-2024 (or leave it empty for umum)',
    });
  });

  it('judges a candidate whose group names a threshold set by that set', () => {
    expect(thresholdSetFor(SKD_TEMPLATE, 'khusus-2024').id).toBe('khusus-2024');
    expect(thresholdSetFor(SKD_TEMPLATE, 'papua').id).toBe('khusus-2024');
    // 290 in all with TIU 60 fails the general set (TWK 65, TKP 166) but meets the 2024 special one
    const scores = { TWK: 60, TIU: 60, TKP: 170 };
    expect(evaluate(SKD_TEMPLATE, scores, 'umum').passed).toBe(false);
    expect(evaluate(SKD_TEMPLATE, scores, 'khusus-2024').passed).toBe(true);
  });
});

describe('roster check', () => {
  it('reads the layout and the Indonesian headers alike, and stores groups in the template spelling', () => {
    const r = check('No Peserta;Nama;Formasi;Kelompok;Kursi\n'.replace(/;/g, ',') + '2401,"Sari, Dewi",Analis,CUMLAUDE,3\n2402,Budi,Analis,,4\n');
    expect(r.problems).toEqual([]);
    expect(r.columns).toEqual(['registration_number', 'name', 'formation', 'group', 'seat']);
    expect(r.rows.map((x) => [x.registrationNumber, x.name, x.group, x.thresholdSet, x.seat, x.errors])).toEqual([
      ['2401', 'Sari, Dewi', 'cumlaude', 'cumlaude-diaspora', '3', []],
      ['2402', 'Budi', 'umum', 'umum', '4', []],
    ]);
    expect(r).toMatchObject({ valid: 2, invalid: 0 });
  });

  it('gives every row every problem it has, with the line it starts on', () => {
    const csv = [
      'registration_number,name,formation,group,extra_minutes,seat,photo,catatan',
      '2401,Sari,Analis,umum,30,1,,ok',
      '2401,"Dua\nbaris",Analis,tunanetra,-5,1,http://x/y.png,',
      ',,,,abc,99,,',
      '24 03,Budi,Analis,umum,,,/media/foto/2403.jpg,',
      '2404,Ani,Analis,umum,,1-2,"data:image/png;base64,iVBORw0KGgo=",',
    ].join('\n');
    const r = check(csv, ctx({ room: { rows: 2, cols: 3 }, existing: [{ registrationNumber: '2399', seat: '2' }] }));
    expect(r.ignored).toEqual(['catatan']);
    expect(r.rows.map((x) => [x.line, x.errors])).toEqual([
      // the first of the two rows with 2401 and seat 1 is named too
      [2, ['registration number 2401 is also on line 3', 'seat 1 is also given to 2401 (line 3)']],
      [
        3,
        [
          // a quoted cell may span lines, but a name may not: it would break every list it is in
          'name: text may not contain the control character U+000A',
          'registration number 2401 is also on line 2',
          expect.stringContaining('group "tunanetra" is not in template skd'),
          'extra minutes -5: give a whole number from 0 to 600',
          'seat 1 is also given to 2401 (line 2)',
          'photo: give a path under /media/ (a file in DATA_DIR/media) or a data:image/png|jpeg|webp;base64 URI',
        ],
      ],
      [5, ['registration number is empty', 'name is empty', 'formation is empty', 'extra minutes abc: give a whole number from 0 to 600', 'seat 99 is outside the room (seats 1-6, 2 rows of 3)']],
      [6, ['registration number 24 03: use 1-40 characters A-Z a-z 0-9 . _ -']],
      // seat 1-2 is the grid's second seat, which the candidate already on the sitting has
      [7, ['seat 1-2 is also given to 2399 (already on the sitting)']],
    ]);
    expect(r).toMatchObject({ valid: 0, invalid: 5 });
  });

  it('says when a cell is too long, and when an inline photo is too large', () => {
    const big = `"data:image/jpeg;base64,${'A'.repeat(300_001)}"`;
    const r = check(['registration_number,name,formation,seat,photo', `1,${'n'.repeat(201)},${'f'.repeat(201)},${'s'.repeat(21)},${big}`].join('\n'));
    expect(r.rows[0].errors).toEqual(['name is longer than 200 characters', 'formation is longer than 200 characters', 'seat is longer than 20 characters', 'the photo is too large (293 KB; at most 300 KB as a data: URI)']);
  });

  it("refuses a formation the sitting does not declare, naming a close spelling, and takes any when it declares none", () => {
    const csv = 'registration_number,name,formation\n2401,Sari,Analis Kebijakan\n2402,Budi,analis  kebijakan\n2403,Ani,Auditor\n';
    const r = check(csv, ctx({ formations: ['Analis Kebijakan', 'Pranata Komputer'] }));
    expect(r.rows.map((x) => x.errors)).toEqual([
      [],
      ["formation analis  kebijakan is not one of the sitting's formations (Analis Kebijakan; Pranata Komputer): did you mean Analis Kebijakan?"],
      ["formation Auditor is not one of the sitting's formations (Analis Kebijakan; Pranata Komputer): correct the row, or add the formation to the sitting first"],
    ]);
    expect([r.valid, r.invalid]).toEqual([1, 2]);
    expect(check(csv).invalid).toBe(0);
  });

  it('refuses a registration number that differs from another only in letter case, in the file or on the sitting', () => {
    const r = check('registration_number,name,formation\nLATE1,Sari,Analis\nlate1,Budi,Analis\nr0001,Ani,Analis\n', ctx({ existing: [{ registrationNumber: 'R0001', seat: null }] }));
    expect(r.rows.map((x) => x.errors)).toEqual([[], ['registration number late1 differs from LATE1 (line 2) only in letter case'], ['registration number r0001 differs from R0001 (already on the sitting) only in letter case']]);
  });

  it('refuses a registration number already on the sitting', () => {
    const r = check('registration_number,name,formation\n2399,X,F\n', ctx({ existing: [{ registrationNumber: '2399', seat: null }] }));
    expect(r.rows[0].errors).toEqual(['2399 is already on sitting s1']);
  });

  it('says what is wrong with the file itself', () => {
    expect(check('registration_number,name\n1,x\n').problems).toEqual(['missing column: formation (the header has: registration_number, name)']);
    expect(check('registration_number,nama,name,formation\n1,x,y,z\n').problems).toEqual(['column name appears twice (nama, name)']);
    expect(check('registration_number,name,formation\n').problems).toEqual(['no candidates: give one row per candidate under the header']);
    expect(check('').problems).toEqual(['the file is empty: give a header row and one row per candidate']);
  });

  it('checks groups against the sitting template: a template without groups takes its threshold sets', () => {
    const mini = smallTemplate();
    expect(check('registration_number,name,formation,group\n1,A,F,umum\n2,B,F,disabilitas\n', ctx({ template: mini })).rows.map((x) => x.errors)).toEqual([
      [],
      ['group "disabilitas" is not in template mini: use one of umum (or leave it empty for umum)'],
    ]);
  });

  it('places seats in the room grid by number or row-column', () => {
    expect(seatPosition('5', 2, 3)).toEqual({ row: 1, col: 1 });
    expect(seatPosition('B-3', 2, 3)).toEqual({ row: 1, col: 2 });
    expect(seatPosition('2.1', 2, 3)).toEqual({ row: 1, col: 0 });
    expect(seatPosition('C-1', 2, 3)).toBe('seat C-1 is outside the room (2 rows of 3)');
    expect(seatPosition('meja depan', 2, 3)).toBe('seat meja depan: write a number (1-6) or row-column ("3-4", "C-4")');
  });

  it('numbers lines across quoted line breaks, blank lines, CRLF and a byte-order mark', () => {
    const { rows, lines } = parseCsvLines('\uFEFFa,b\r\n1,"x\r\ny"\r\n\r\n3,z\r\n4,w');
    expect(rows).toEqual([['a', 'b'], ['1', 'x\r\ny'], ['3', 'z'], ['4', 'w']]);
    expect(lines).toEqual([1, 2, 5, 6]);
  });
});

/** a roster that makes every finding the check writes */
const words = ctx({ room: { rows: 2, cols: 3 }, existing: [{ registrationNumber: '2399', seat: '2' }], formations: ['Analis Kebijakan', 'Auditor'] });
/** words only the English sentences have */
const ENGLISH = /\b(is|the|give|use|write|also|empty|longer|outside|already|missing|column|seat|line|formation|group|photo|extra)\b/;

describe('the roster check in Indonesian (admin console)', () => {
  it('says every finding the check writes in Indonesian, keeping the names and numbers in it', () => {
    const rows = [
      'registration_number,name,formation,group,extra_minutes,seat,photo',
      '2401,Sari,Analis Kebijakan,umum,,1,',
      '2401,Budi,analis kebijakan,tunanetra,-5,1,http://x/y.png',
      ',,,,abc,99,',
      '24 03,Ani,Pranata,,,C-9,',
      `2404,${'x'.repeat(201)},${'y'.repeat(201)},,,${'z'.repeat(21)},"data:image/png;base64,${'A'.repeat(400_000)}"`,
      '2399,Dedi,Auditor,,,x-y,',
      '2405,Eka\u0000,Auditor,,,,',
      '2406,Fitri\u202eidA,Auditor,,,,',
      'ab7,Fajar,Auditor,,,,',
      'AB7,Gita,Auditor,,,,',
    ];
    const r = check(rows.join('\n'), words);
    const findings = r.rows.flatMap((x) => x.errors);
    // the sentences the check can write, each at least once
    expect(findings.length).toBeGreaterThanOrEqual(18);
    for (const f of findings) {
      const said = rosterProblemId(f);
      expect(said, f).not.toBe(f);
      expect(said, f).not.toMatch(ENGLISH);
    }
    expect(rosterProblemId("formation analis kebijakan is not one of the sitting's formations (Analis Kebijakan; Auditor): did you mean Analis Kebijakan?")).toBe('formasi analis kebijakan tidak termasuk formasi sesi ini (Analis Kebijakan; Auditor): maksudnya Analis Kebijakan?');
    expect(rosterProblemId('seat 1 is also given to 2401 (line 2)')).toBe('kursi 1 juga diberikan kepada 2401 (baris 2)');
    // a right-to-left override would make the name read as another on the board and in reports
    expect(r.rows.find((x) => x.registrationNumber === '2406')?.errors).toEqual(['name: text may not contain the control character U+202E']);
    expect(rosterProblemId('name: text may not contain the control character U+202E')).toBe('nama: teks tidak boleh memuat karakter kendali U+202E');
    for (const csv of ['', 'nama,formasi\nSari,Analis', 'no_peserta,nama,nama,formasi\n1,a,b,c', 'no_peserta,nama,formasi\n']) {
      for (const p of check(csv, words).problems) expect(rosterProblemId(p), p).not.toMatch(ENGLISH);
    }
  });

  it('shows a sentence it does not know as it came', () => {
    expect(rosterProblemId('something new')).toBe('something new');
  });
});
