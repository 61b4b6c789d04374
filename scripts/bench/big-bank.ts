import seedrandom from 'seedrandom';
import { OPTION_LETTERS } from '../../server/src/contract/question.js';

const WORDS = (
  'pegawai warga kantor layanan laporan rapat atasan rekan tugas berkas antrean jadwal anggaran desa kota ' +
  'pancasila undang negara bangsa daerah hukum hak kewajiban sejarah budaya bahasa persatuan musyawarah ' +
  'deret angka pola gambar bangun sisi luas keliling hasil jumlah selisih kali bagi persen rata nilai ' +
  'cepat lambat baru lama besar kecil tinggi rendah pagi siang sore malam senin selasa rabu kamis jumat'
).split(' ');

/**
 * A valid SKD bank of about `megabytes` MB as kaca-bank@1 JSON: TWK, TIU and TKP in the
 * template's proportions, five options each, long stems of random words (so no two look alike
 * to the near-duplicate check), a figure every 50th question. For import benchmarks and tests.
 */
export function bigSkdBank(id: string, megabytes: number, seed = 'big-bank'): { doc: string; questions: number } {
  const rng = seedrandom(seed);
  const pick = () => WORDS[Math.floor(rng() * WORDS.length)];
  const sentence = (k: number) => Array.from({ length: k }, pick).join(' ');
  const figure = `<img src="data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="15"/></svg>').toString('base64')}" alt="gambar">`;
  const parts: string[] = [];
  let size = 0;
  let i = 0;
  while (size < megabytes * 1024 * 1024) {
    const section = i % 110 < 30 ? 'TWK' : i % 110 < 65 ? 'TIU' : 'TKP';
    const q: Record<string, unknown> = {
      id: `${section}-${String(i).padStart(6, '0')}`,
      section,
      topic: `topik-${i % 8}`,
      stem: `<p>${sentence(300 + Math.floor(rng() * 200))}</p>${i % 50 === 0 ? figure : ''}`,
      options: Array.from({ length: 5 }, () => sentence(8 + Math.floor(rng() * 8))),
    };
    if (section === 'TKP') {
      const w = [1, 2, 3, 4, 5];
      for (let k = w.length - 1; k > 0; k--) {
        const j = Math.floor(rng() * (k + 1));
        [w[k], w[j]] = [w[j], w[k]];
      }
      q.weights = w;
    } else q.key = OPTION_LETTERS[Math.floor(rng() * 5)];
    const text = JSON.stringify(q);
    parts.push(text);
    size += text.length + 1;
    i++;
  }
  return { doc: `{"format":"kaca-bank@1","id":${JSON.stringify(id)},"title":"Bank besar ${id}","language":"id","questions":[\n${parts.join(',\n')}\n]}`, questions: i };
}
