/**
 * The roster check's findings in Bahasa Indonesia. The server words them in English (its API is
 * read by programs too); an operator reading the check in the console reads them in the
 * console's language. Each rule matches one sentence the check writes (server/src/domain/roster.ts
 * and groups.ts; tests/unit/roster.test.ts runs every one through it); a sentence no rule
 * knows is shown as it came.
 */
type Rule = [RegExp, (...m: string[]) => string];

const lines = (s: string) => s.replace(/\blines?\b/g, 'baris').replace(/\(already on the sitting\)/g, '(sudah ada di sesi ini)');

const FIELD: Record<string, string> = { registrationNumber: 'nomor peserta', name: 'nama', formation: 'formasi', group: 'kelompok', extraMinutes: 'tambahan menit', seat: 'kursi', photo: 'foto' };

const RULES: Rule[] = [
  [/^registration number is empty$/, () => 'nomor peserta kosong'],
  [/^registration number (.+): use 1-40 characters A-Z a-z 0-9 \. _ -$/, (n) => `nomor peserta ${n}: gunakan 1-40 karakter A-Z a-z 0-9 . _ -`],
  [/^registration number (.+) is also on (lines? .+)$/, (n, at) => `nomor peserta ${n} juga ada di ${lines(at)}`],
  [/^registration number (.+) differs from (.+) only in letter case$/, (n, other) => `nomor peserta ${n} hanya berbeda huruf besar/kecil dengan ${lines(other)}`],
  [/^(.+) is already on sitting (.+)$/, (n, s) => `${n} sudah terdaftar di sesi ${s}`],
  [/^name is empty$/, () => 'nama kosong'],
  [/^name is longer than 200 characters$/, () => 'nama lebih dari 200 karakter'],
  [/^formation is empty$/, () => 'formasi kosong'],
  [/^formation is longer than 200 characters$/, () => 'formasi lebih dari 200 karakter'],
  [/^formation (.+) is not one of the sitting's formations \((.+)\): did you mean (.+)\?$/s, (f, list, near) => `formasi ${f} tidak termasuk formasi sesi ini (${list.replace(/; and (\d+) more$/, '; dan $1 lainnya')}): maksudnya ${near}?`],
  [/^formation (.+) is not one of the sitting's formations \((.+)\): correct the row, or add the formation to the sitting first$/s, (f, list) => `formasi ${f} tidak termasuk formasi sesi ini (${list.replace(/; and (\d+) more$/, '; dan $1 lainnya')}): perbaiki barisnya, atau tambahkan formasi itu ke sesi lebih dulu`],
  [/^group "(.*)" is not in template (.+): use one of (.+) \(or leave it empty for (.+)\)$/, (g, tpl, all, def) => `kelompok "${g}" tidak ada di templat ${tpl}: gunakan salah satu dari ${all} (atau kosongkan untuk ${def})`],
  [/^extra minutes (.*): give a whole number from 0 to 600$/, (v) => `tambahan menit ${v}: isi bilangan bulat 0 sampai 600`],
  [/^seat is longer than 20 characters$/, () => 'kursi lebih dari 20 karakter'],
  [/^seat (.+) is outside the room \(seats (\d+)-(\d+), (\d+) rows of (\d+)\)$/, (s, a, b, r, c) => `kursi ${s} di luar denah ruang (kursi ${a}-${b}, ${r} baris x ${c} kolom)`],
  [/^seat (.+) is outside the room \((\d+) rows of (\d+)\)$/, (s, r, c) => `kursi ${s} di luar denah ruang (${r} baris x ${c} kolom)`],
  [/^seat (.+): write a number \((.+)\) or row-column \("3-4", "C-4"\)$/, (s, range) => `kursi ${s}: tulis nomor (${range}) atau baris-kolom ("3-4", "C-4")`],
  [/^seat (.+) is also given to (.+)$/, (s, who) => `kursi ${s} juga diberikan kepada ${lines(who)}`],
  [/^the photo is too large \((\d+) KB; at most (\d+) KB as a data: URI\)$/, (kb, max) => `foto terlalu besar (${kb} KB; paling besar ${max} KB sebagai URI data:)`],
  [/^photo: give a path under \/media\/ \(a file in DATA_DIR\/media\) or a data:image\/png\|jpeg\|webp;base64 URI$/, () => 'foto: isi path di bawah /media/ (berkas di DATA_DIR/media) atau URI data:image/png|jpeg|webp;base64'],
  [/^(\w+): text may not contain the NUL character \(U\+0000\)$/, (field) => `${FIELD[field] ?? field}: teks tidak boleh memuat karakter NUL (U+0000)`],
  [/^(\w+): text may not contain the control character (U\+[0-9A-F]{4})$/, (field, code) => `${FIELD[field] ?? field}: teks tidak boleh memuat karakter kendali ${code}`],
  [/^column (\w+) appears twice \((.+), (.+)\)$/, (col, a, b) => `kolom ${col} muncul dua kali (${a}, ${b})`],
  [/^the file is empty: give a header row and one row per candidate$/, () => 'berkas kosong: isi satu baris judul kolom dan satu baris per peserta'],
  [/^missing columns?: (.+) \(the header has: (.+)\)$/, (cols, has) => `kolom wajib tidak ada: ${cols} (judul kolom berkas: ${has === 'nothing' ? 'tidak ada' : has})`],
  [/^no candidates: give one row per candidate under the header$/, () => 'tidak ada peserta: isi satu baris per peserta di bawah judul kolom'],
];

/** One finding of the roster check in Indonesian (as it came when no rule knows it). */
export function rosterProblemId(message: string): string {
  for (const [re, say] of RULES) {
    const m = re.exec(message);
    if (m) return say(...m.slice(1));
  }
  return message;
}
