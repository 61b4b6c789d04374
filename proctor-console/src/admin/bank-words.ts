/**
 * The bank check's findings in Bahasa Indonesia. The server words its report in English (the
 * API and the CLI are read by programs and by people in either language); an operator reading
 * it in the console reads it in the console's language. Each rule matches one sentence a check
 * writes: the bank rules (server/src/domain/bank.ts), rich content (rich-content.ts), the
 * question's field shapes (contract/question.ts and zod's own wording), and the CSV and QTI
 * readers (question-bank/). tests/unit/bank-words.test.ts runs every one of them through it; a
 * sentence no rule knows is shown as it came.
 */
type Rule = [RegExp, (...m: string[]) => string];

const TYPE: Record<string, string> = { string: 'teks', number: 'angka', array: 'daftar', object: 'objek', boolean: 'ya/tidak', undefined: 'tidak ada', null: 'null' };
const type = (t: string) => TYPE[t] ?? t;
/** "A (#1), B (#2) and C (#3)" */
const and = (s: string) => s.replace(/ and /g, ' dan ');

/** What JSON.parse (V8) says of a file it cannot read, in Indonesian; where it stopped is in the location column. */
const JSON_WHY: Rule[] = [
  [/^Unexpected end of JSON input/, () => 'berkas berakhir sebelum JSON-nya lengkap'],
  [/^Expected double-quoted property name/, () => 'nama kolom harus di antara tanda petik ganda'],
  [/^Expected property name or '\}'/, () => "seharusnya nama kolom atau '}'"],
  [/^Expected ',' or '\}' after property value/, () => "seharusnya ',' atau '}' setelah nilai kolom"],
  [/^Expected ',' or '\]' after array element/, () => "seharusnya ',' atau ']' setelah butir daftar"],
  [/^Expected ':' after property name/, () => "seharusnya ':' setelah nama kolom"],
  [/^Bad control character in string literal/, () => 'ada karakter kendali (misalnya ganti baris) di dalam teks'],
  [/^Bad escaped character/, () => 'ada garis miring terbalik (\\) yang tidak sah di dalam teks'],
  [/^Unterminated string/, () => 'teks tidak ditutup dengan tanda petik'],
  [/^Unexpected non-whitespace character after JSON/, () => 'ada isi lain setelah JSON selesai'],
  [/^Unexpected token '?(.)'?/, (c) => `karakter "${c}" tidak diharapkan di sini`],
];
const jsonWhy = (why: string) => {
  for (const [re, say] of JSON_WHY) {
    const m = re.exec(why);
    if (m) return say(...m.slice(1));
  }
  return why;
};

const RULES: Rule[] = [
  // the bank's scoring rules (domain/bank.ts)
  [/^give a key \(keyed sections\) or weights \(weighted sections\)$/, () => 'isi kunci (bagian yang dinilai dengan kunci) atau bobot (bagian yang dinilai dengan bobot)'],
  [/^give a key \(keyed sections\) or weights \(weighted sections\), not both$/, () => 'isi kunci (bagian yang dinilai dengan kunci) atau bobot (bagian yang dinilai dengan bobot), jangan keduanya'],
  [/^section (\S+) needs (\d+) options \((.+)\); this question has (\d+)$/, (s, n, letters, has) => `bagian ${s} memerlukan ${n} pilihan (${letters}); soal ini punya ${has}`],
  [/^section (\S+) is keyed: give a key \(the letter of the correct option, (.+)\)$/, (s, letters) => `bagian ${s} dinilai dengan kunci: isi kunci (huruf pilihan yang benar, ${letters})`],
  [/^section (\S+) is keyed: give a key \(the letter of the correct option, (.+)\) instead of weights$/, (s, letters) => `bagian ${s} dinilai dengan kunci: isi kunci (huruf pilihan yang benar, ${letters}), bukan bobot`],
  [/^section (\S+) is keyed: remove the weights \(a keyed question has only a key\)$/, (s) => `bagian ${s} dinilai dengan kunci: hapus bobotnya (soal berkunci hanya punya kunci)`],
  [/^section (\S+) is weighted: give weights, one per option(?: \((.+)\))?$/, (s, set) => `bagian ${s} dinilai dengan bobot: isi bobot, satu untuk tiap pilihan${set ? ` (${set})` : ''}`],
  [/^section (\S+) is weighted: give weights, one per option(?: \((.+)\))?, instead of a key$/, (s, set) => `bagian ${s} dinilai dengan bobot: isi bobot, satu untuk tiap pilihan${set ? ` (${set})` : ''}, bukan kunci`],
  [/^section (\S+) is weighted: remove the key \(a weighted question has only weights\)$/, (s) => `bagian ${s} dinilai dengan bobot: hapus kuncinya (soal berbobot hanya punya bobot)`],
  [/^section (\S+): weights (\[.*\]) must be an ordering of (\[.*\]) \(each value exactly once\)$/, (s, w, set) => `bagian ${s}: bobot ${w} harus berupa susunan dari ${set} (tiap nilai tepat satu kali)`],
  [/^key (\S+) names no option \((\d+) options\)$/, (k, n) => `kunci ${k} tidak menunjuk pilihan mana pun (ada ${n} pilihan)`],
  [/^(\d+) weights for (\d+) options$/, (w, n) => `${w} bobot untuk ${n} pilihan`],
  [/^section (\S+) is not in template (\S+) \((.+)\)$/, (s, tpl, all) => `bagian ${s} tidak ada di templat ${tpl} (${all})`],
  [/^id (\S+) appears (\d+) times: questions (.+)$/, (id, n, at) => `ID ${id} muncul ${n} kali: soal ${at}`],
  [/^questions (.+) have the same stem and the same options in the same order$/, (who) => `soal ${and(who)} memiliki pokok soal yang sama dan pilihan yang sama dengan urutan yang sama`],
  [/^questions (.+) share (\d+)% of their wording \(stem and options\): check that they are not the same question$/, (who, pct) => `${pct}% kata-kata soal ${and(who)} sama (pokok soal dan pilihan): pastikan itu bukan soal yang sama`],
  [/^questions (.+?) have the same stem \(their options differ\)$/, (who) => `soal ${and(who)} memiliki pokok soal yang sama (pilihannya berbeda)`],
  [/^questions (.+?) have the same stem; (.+)$/, (who, rest) => `soal ${and(who)} memiliki pokok soal yang sama; ${rest.split('; ').map((r) => and(r.replace(/ also have the same options in the same order$/, ' juga memiliki pilihan yang sama dengan urutan yang sama'))).join('; ')}`],
  [/^section (\S+) has (\d+) valid questions?; template (\S+) deals (\d+) per paper$/, (s, n, tpl, deals) => `bagian ${s} punya ${n} soal yang sah; templat ${tpl} membagikan ${deals} soal per naskah`],
  [/^text may not contain the NUL character \(U\+0000\)$/, () => 'teks tidak boleh memuat karakter NUL (U+0000)'],

  // rich content (domain/rich-content.ts)
  [/^comments, doctype and processing instructions are not allowed$/, () => 'komentar, doctype, dan instruksi pemrosesan tidak diperbolehkan'],
  [/^malformed tag near "(.*)"$/s, (near) => `tag rusak di dekat "${near}"`],
  [/^tag <(\S+)> is not allowed$/, (tag) => `tag <${tag}> tidak diperbolehkan`],
  [/^closing tag <\/(\S+)> has attributes$/, (tag) => `tag penutup </${tag}> tidak boleh beratribut`],
  [/^cannot read the attributes of <(\S+)>$/, (tag) => `atribut <${tag}> tidak dapat dibaca`],
  [/^attribute (\S+) is not allowed on <(\S+)>$/, (attr, tag) => `atribut ${attr} tidak diperbolehkan pada <${tag}>`],
  [/^img src must be a data:image URI or a \/media\/ path$/, () => 'src pada img harus berupa URI data:image atau path /media/'],
  [/^attribute (\S+) of <(\S+)> must be a number$/, (attr, tag) => `atribut ${attr} pada <${tag}> harus berupa angka`],
  [/^img needs a src$/, () => 'img memerlukan src'],
  [/^TeX (.+) cannot be read: (.+)$/s, (tex, why) => `TeX ${tex} tidak dapat dibaca KaTeX: ${why}`],
  [/^TeX (.+) uses a command the exam client does not allow$/s, (tex) => `TeX ${tex} memakai perintah yang tidak diizinkan di aplikasi ujian`],
  [/^\\([([]) opens TeX that is never closed with \\([)\]]) in the same text$/, (open, close) => `\\${open} membuka TeX yang tidak ditutup dengan \\${close} di teks yang sama`],

  // a question's fields (contract/question.ts, contract/exam.ts)
  [/^use 1-64 characters A-Z a-z 0-9 \. _ - \(starting with a letter or digit\)$/, () => 'gunakan 1-64 karakter A-Z a-z 0-9 . _ - (diawali huruf atau angka)'],
  [/^the stem is empty$/, () => 'pokok soal kosong'],
  [/^the option is empty$/, () => 'pilihan kosong'],
  [/^give at least 2 options$/, () => 'isi paling sedikit 2 pilihan'],
  [/^give at most 6 options \(A-F\)$/, () => 'isi paling banyak 6 pilihan (A-F)'],
  [/^the weight is missing$/, () => 'bobot belum diisi'],
  [/^weight (.+) is not a number$/, (w) => `bobot ${w} bukan angka`],
  [/^weight (.+) is not a whole number$/, (w) => `bobot ${w} bukan bilangan bulat`],
  [/^weight (.+) is below -100$/, (w) => `bobot ${w} kurang dari -100`],
  [/^weight (.+) is above 100$/, (w) => `bobot ${w} lebih dari 100`],
  // zod's own wording, for the shapes with no words of their own
  [/^Invalid input: expected (\w+), received (\w+)$/, (want, got) => (got === 'undefined' ? `belum diisi: seharusnya ${type(want)}` : `isian tidak sah: seharusnya ${type(want)}, bukan ${type(got)}`)],
  [/^Invalid input: expected (".*")$/, (want) => `isian tidak sah: seharusnya ${want}`],
  [/^Invalid option: expected one of (.+)$/, (all) => `pilihan tidak sah: seharusnya salah satu dari ${all}`],
  [/^Unrecognized keys?: (.+)$/, (keys) => `kolom tidak dikenal: ${keys}`],
  [/^Too small: expected string to have >=(\d+) characters?$/, (n) => `terlalu pendek: paling sedikit ${n} karakter`],
  [/^Too big: expected string to have <=(\d+) characters?$/, (n) => `terlalu panjang: paling banyak ${n} karakter`],
  [/^Too small: expected array to have >=(\d+) items?$/, (n) => `terlalu sedikit: paling sedikit ${n} butir`],

  // the CSV reader (question-bank/csv-bank.ts) and the file as a whole (formats.ts)
  [/^not a readable CSV file: (.+)$/s, (why) => `bukan berkas CSV yang dapat dibaca: ${why}`],
  [/^the CSV file is empty: it needs a header row and one row per question$/, () => 'berkas CSV kosong: perlu satu baris judul kolom dan satu baris per soal'],
  [/^column (.+) appears twice in the header$/, (c) => `kolom ${c} muncul dua kali di baris judul`],
  [/^column (.+) is not part of the bank layout and is ignored$/, (c) => `kolom ${c} bukan bagian dari susunan bank dan diabaikan`],
  [/^the header lacks columns? (.+) \(columns: (.+)\)$/, (missing, all) => `baris judul tidak memuat kolom ${missing} (kolom yang dikenal: ${all})`],
  [/^the CSV file has a header but no question rows$/, () => 'berkas CSV punya baris judul tetapi tidak ada baris soal'],
  [/^not valid JSON: (.+)$/s, (why) => `bukan JSON yang sah: ${jsonWhy(why)}`],
  [/^cannot tell the format of (.+): name it \.json, \.csv or \.zip, or give the format \((.+)\)$/, (name, all) => `format ${name} tidak dapat dikenali: beri nama berakhiran .json, .csv atau .zip, atau pilih formatnya (${all})`],
  [/^cannot read (.+): (\S+)$/, (name, code) => `${name} tidak dapat dibaca: ${code}`],

  // the QTI reader (question-bank/qti/)
  [/^no imsmanifest\.xml: a QTI content package lists its items in imsmanifest\.xml at its root$/, () => 'tidak ada imsmanifest.xml: paket konten QTI mendaftar butirnya di imsmanifest.xml pada akar paket'],
  [/^the manifest lists no QTI item resources \((.+)\)$/, (types) => `manifest tidak mendaftar sumber butir QTI (${types})`],
  [/^resources not read \(Kaca imports items only\): (.+)$/s, (list) => `sumber yang tidak dibaca (Kaca hanya mengimpor butir): ${list}`],
  [/^the manifest lists (.+), which is not in the package$/, (path) => `manifest mendaftar ${path}, tetapi berkas itu tidak ada di paket`],
  [/^no section: give the manifest resource a LOM keyword section:<id>, start the identifier with a section id \(TWK-\.\.\.\), or import with --section$/, () => 'bagian tidak diketahui: beri sumbernya kata kunci LOM section:<id> di manifest, awali identifier dengan ID bagian (TWK-...), atau pilih bagian untuk butir QTI tanpa bagian'],
  [/^(\d+) items? carr(?:y|ies) no topic \(LOM keyword topic:<name>\), so each takes its section as its topic: (.+)$/s, (n, list) => `${n} butir tidak punya topik (kata kunci LOM topic:<nama>), jadi bagiannya dipakai sebagai topik: ${list}`],
  [/^not well-formed XML: (.+) \(line (\d+), column (\d+)\)$/s, (why, line, col) => `XML tidak tersusun benar: ${why} (baris ${line}, kolom ${col})`],
  [/^the XML document has no root element$/, () => 'dokumen XML tidak punya elemen akar'],
  [/^not a QTI assessment item \(the root element is <(.+)>\)$/, (tag) => `bukan butir penilaian QTI (elemen akarnya <${tag}>)`],
  [/^the item has no identifier$/, () => 'butir tidak punya identifier'],
  [/^the item has no itemBody$/, () => 'butir tidak punya itemBody'],
  [/^only items with one choiceInteraction can be imported \(found: (.+)\)$/, (found) => `hanya butir dengan satu choiceInteraction yang dapat diimpor (ditemukan: ${found === 'none' ? 'tidak ada' : found})`],
  [/^choiceInteraction has maxChoices=(\S+): Kaca questions take exactly one answer \(maxChoices=1\)$/, (n) => `choiceInteraction memakai maxChoices=${n}: soal Kaca menerima tepat satu jawaban (maxChoices=1)`],
  [/^no responseDeclaration for the interaction's response (.+)$/, (id) => `tidak ada responseDeclaration untuk respons ${id === '(none)' ? '(tanpa nama)' : id}`],
  [/^response (\S+) has cardinality (\S+): it must be single$/, (id, c) => `respons ${id} memakai cardinality ${c}: harus single`],
  [/^(\d+) choices: at most (\d+) \(A-F\)$/, (n, max) => `${n} pilihan: paling banyak ${max} (A-F)`],
  [/^correctResponse gives (\d+) values: a keyed item names exactly one choice$/, (n) => `correctResponse memberi ${n} nilai: butir berkunci menyebut tepat satu pilihan`],
  [/^correctResponse names (\S+), which is not one of the choices \((.+)\)$/, (v, all) => `correctResponse menyebut ${v}, yang bukan salah satu pilihan (${all})`],
  [/^mapEntry for (\S+), which is not one of the choices \((.+)\)$/, (v, all) => `mapEntry untuk ${v}, yang bukan salah satu pilihan (${all})`],
  [/^image (.+) is outside the package: a test hall has no internet, so put the image file in the package$/, (src) => `gambar ${src} berada di luar paket: ruang ujian tidak terhubung ke internet, jadi masukkan berkas gambarnya ke dalam paket`],
  [/^image (.+) is not in the package$/, (src) => `gambar ${src} tidak ada di paket`],
  [/^image (.+): only PNG, JPEG, GIF, SVG and WebP images can be shown$/, (src) => `gambar ${src}: hanya gambar PNG, JPEG, GIF, SVG dan WebP yang dapat ditampilkan`],
  [/^image (.+) is (\d+) KB: an image kept inside a question can be at most (\d+) KB$/, (src, kb, max) => `gambar ${src} berukuran ${kb} KB: gambar di dalam soal paling besar ${max} KB`],
  [/^a MathML formula cannot be turned into TeX \((.+)\): write it as TeX between \\\( and \\\)$/s, (why) => `rumus MathML tidak dapat diubah menjadi TeX (${why}): tulis sebagai TeX di antara \\( dan \\)`],
  [/^<(\S+)> is not supported: Kaca shows a stem and its options only$/, (tag) => `<${tag}> tidak didukung: Kaca hanya menampilkan pokok soal dan pilihannya`],
  [/^<object type="(.*)"> is not supported: only images can be shown$/, (t) => `<object type="${t}"> tidak didukung: hanya gambar yang dapat ditampilkan`],
  [/^the zip holds more than (\d+) files$/, (n) => `zip berisi lebih dari ${n} berkas`],
  [/^(.+) is larger than (\d+) MB$/, (name, mb) => `${name} lebih besar dari ${mb} MB`],
  [/^the zip unpacks to more than (\d+) MB$/, (mb) => `isi zip lebih dari ${mb} MB`],
  [/^not a readable zip file: (.+)$/s, (why) => `bukan berkas zip yang dapat dibaca: ${why}`],
];

/** One finding of the bank check in Indonesian (as it came when no rule knows it). */
export function bankProblemId(message: string): string {
  for (const [re, say] of RULES) {
    const m = re.exec(message);
    if (m) return say(...m.slice(1));
  }
  return message;
}

/** Where a finding is, in Indonesian: "line 12" is "baris 12", "line 3, column 2" "baris 3, kolom 2"; a path in the package stays. */
export function bankLocationId(location: string): string {
  return location.replace(/^line (\d+)(?:, column (\d+))?$/, (_, line: string, col?: string) => `baris ${line}${col ? `, kolom ${col}` : ''}`);
}
