import { useEffect, useState } from 'preact/hooks';
import type { IncidentReport } from '../../../server/src/contract/proctor';
import { downloadCsv, getJson } from './api';
import { actionLabel } from './room';
import { dateTime, timeOfDay } from '../shared/format';

/** The berita acara: a printable page (print CSS) and a CSV export. */
export function ReportView({ session, sittingId }: { session: string; sittingId: string }) {
  const [report, setReport] = useState<IncidentReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getJson<IncidentReport>(session, `/api/admin/sittings/${encodeURIComponent(sittingId)}/report`).then(setReport, (e: Error) => setError(e.message));
  }, [sittingId]);
  if (error) return <p class="error pad">{error}</p>;
  if (!report) return <p class="muted pad">Memuat…</p>;
  const s = report.sitting;
  const c = report.counts;
  return (
    <main class="report pad">
      <div class="no-print report-tools">
        <a href={`#/sitting/${encodeURIComponent(s.id)}`}>← Kembali ke ruang</a>
        <button type="button" class="primary" onClick={() => window.print()}>
          Cetak
        </button>
        <button type="button" onClick={() => downloadCsv(session, `/api/admin/sittings/${encodeURIComponent(s.id)}/report?format=csv`, `berita-acara-${s.id}.csv`)}>
          Unduh CSV
        </button>
      </div>
      <article class="paper">
        <h1>BERITA ACARA PELAKSANAAN UJIAN</h1>
        <p class="sub">
          {s.name} ({s.id})
        </p>
        <table class="facts">
          <tbody>
            <tr>
              <th>Lokasi / ruang</th>
              <td>
                {s.site} / {s.room}
              </td>
            </tr>
            <tr>
              <th>Jadwal</th>
              <td>{dateTime(s.scheduledStart)}</td>
            </tr>
            <tr>
              <th>Dibuka · dimulai · ditutup</th>
              <td>
                {dateTime(s.openedAt)} · {dateTime(s.startedAt)} · {dateTime(s.closedAt)}
              </td>
            </tr>
            <tr>
              <th>Durasi</th>
              <td>{s.durationMinutes} menit</td>
            </tr>
            <tr>
              <th>Peserta terdaftar</th>
              <td data-testid="registered">{c.registered}</td>
            </tr>
            <tr>
              <th>Hadir · tidak hadir</th>
              <td>
                <span data-testid="present">{c.present}</span> · <span data-testid="absent">{c.absent}</span>
              </td>
            </tr>
            <tr>
              <th>Selesai · dihentikan · masih mengerjakan</th>
              <td>
                <span data-testid="finished">{c.finished}</span> · <span data-testid="terminated">{c.terminated}</span> · {c.inProgress}
              </td>
            </tr>
          </tbody>
        </table>
        <h2>Kejadian dan tindakan pengawas</h2>
        {report.entries.length === 0 ? (
          <p>Tidak ada kejadian yang dicatat.</p>
        ) : (
          <table class="entries" data-testid="report-entries">
            <thead>
              <tr>
                <th>Waktu</th>
                <th>Tindakan</th>
                <th>Peserta</th>
                <th>Alasan</th>
                <th>Oleh</th>
              </tr>
            </thead>
            <tbody>
              {report.entries.map((e) => (
                <tr key={e.id}>
                  <td class="mono">{timeOfDay(e.at)}</td>
                  <td>
                    {actionLabel(e.action)}
                    {e.action === 'extend' && e.details && typeof e.details === 'object' && 'minutes' in e.details ? ` (${String((e.details as { minutes: number }).minutes)} menit)` : ''}
                  </td>
                  <td>{e.registrationNumber ? `${e.registrationNumber} ${e.candidateName}` : '–'}</td>
                  <td>{e.reason}</td>
                  <td>{e.actorName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p class="generated">Dibuat {dateTime(report.generatedAt)} oleh Kaca.</p>
        <div class="signatures">
          <div>
            <p>Pengawas ruang,</p>
            <div class="sign-line" />
            <p>Nama dan NIP</p>
          </div>
          <div>
            <p>Koordinator lokasi,</p>
            <div class="sign-line" />
            <p>Nama dan NIP</p>
          </div>
        </div>
      </article>
    </main>
  );
}
