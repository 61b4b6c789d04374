import { errorText } from './labels';
import { useEffect, useState } from 'preact/hooks';
import type { SittingResultsOut as Results } from '../../../server/src/contract/http';
import { downloadCsv, getJson } from './api';

/** Statuses as the room, the board and the berita acara word them (one definition: domain/status.ts). */
const STATUS: Record<string, string> = { finished: 'Selesai', terminated: 'Dihentikan', absent: 'Tidak hadir', waiting: 'Menunggu izin', admitted: 'Belum mulai', in_progress: 'Belum selesai', paused: 'Dijeda' };

/** Ranked results of a sitting per formation, with pass/fail and the next-stage cut-off. */
export function ResultsView({ session, sittingId }: { session: string; sittingId: string }) {
  const [results, setResults] = useState<Results | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getJson<Results>(session, `/api/admin/sittings/${encodeURIComponent(sittingId)}/results`).then(setResults, (e: Error) => setError(errorText(e)));
  }, [sittingId]);
  if (error) return <p class="error pad">{error}</p>;
  if (!results) return <p class="muted pad">Memuat…</p>;
  return (
    <main class="pad results">
      <div class="no-print report-tools">
        <a href={`#/sitting/${encodeURIComponent(sittingId)}`}>← Kembali ke ruang</a>
        <button type="button" class="primary" onClick={() => downloadCsv(session, `/api/admin/sittings/${encodeURIComponent(sittingId)}/results?format=csv`, `hasil-${sittingId}.csv`)}>
          Unduh CSV
        </button>
      </div>
      <h1>Hasil: {results.sittingName}</h1>
      {results.formations.map((f) => (
        <section key={f.formation} aria-labelledby={`f-${f.formation}`}>
          <h2 id={`f-${f.formation}`}>
            {f.formation} <span class="muted">· formasi {f.vacancies}, lolos ke tahap berikut maks. {f.quota} (termasuk nilai sama pada batas)</span>
          </h2>
          <table class="dense">
            <thead>
              <tr>
                <th>Peringkat</th>
                <th>No. peserta</th>
                <th>Nama</th>
                {results.sections.map((s) => (
                  <th class="num" key={s}>
                    {s}
                  </th>
                ))}
                <th class="num">Total</th>
                <th>Ambang batas</th>
                <th>Tahap berikut</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {f.lines.map((l, i) => {
                const cut = l.advances && !f.lines[i + 1]?.advances;
                // no result (absent, never started): no scores and no verdict to show
                const scored = l.passed !== null;
                return (
                  <tr key={l.id} class={`${l.advances ? 'advances' : ''} ${cut ? 'cutoff' : ''}`} data-row={l.registrationNumber}>
                    <td class="num">{l.rank ?? '–'}</td>
                    <td class="mono">{l.registrationNumber}</td>
                    <td>{l.name}</td>
                    {results.sections.map((s) => (
                      <td class="num" key={s}>
                        {scored ? (l.sections[s] ?? 0) : '–'}
                      </td>
                    ))}
                    <td class="num strong">{scored ? l.total : '–'}</td>
                    <td data-field="verdict">{!scored ? '–' : l.passed ? '✔ memenuhi' : '✖ tidak memenuhi'}</td>
                    <td>{l.advances ? '▲ lolos' : ''}</td>
                    <td data-field="status">{l.status === 'absent' && results.sittingStatus !== 'closed' ? 'Belum hadir' : (STATUS[l.status] ?? l.status)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      ))}
    </main>
  );
}
