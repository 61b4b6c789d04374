import { describe, expect, it } from 'vitest';
import { rosterProblemId } from '../../proctor-console/src/admin/roster-words.js';
import { SKD_TEMPLATE } from '../../server/src/contract/exam.js';
import { checkRoster, type RosterContext } from '../../server/src/domain/roster.js';
import { parseCsvLines } from '../../server/src/services/csv.js';

const ctx: RosterContext = { template: SKD_TEMPLATE, sittingId: 's1', room: { rows: 2, cols: 3 }, existing: [{ registrationNumber: '2399', seat: '2' }], formations: ['Analis Kebijakan', 'Auditor'] };
const check = (csv: string) => {
  const { rows, lines } = parseCsvLines(csv);
  return checkRoster(rows, lines, ctx);
};
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
      'ab7,Fajar,Auditor,,,,',
      'AB7,Gita,Auditor,,,,',
    ];
    const r = check(rows.join('\n'));
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
    for (const csv of ['', 'nama,formasi\nSari,Analis', 'no_peserta,nama,nama,formasi\n1,a,b,c', 'no_peserta,nama,formasi\n']) {
      for (const p of check(csv).problems) expect(rosterProblemId(p), p).not.toMatch(ENGLISH);
    }
  });

  it('shows a sentence it does not know as it came', () => {
    expect(rosterProblemId('something new')).toBe('something new');
  });
});
