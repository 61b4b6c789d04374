import { useEffect, useState } from 'preact/hooks';
import type { IncidentReport } from '../../../server/src/contract/proctor';
import { downloadCsv, getJson } from './api';
import { auditText, errorText } from './labels';
import { siteDate, siteDateTime, siteTime, verifierKeyId, zoneAbbr } from '../shared/format';

const ALERT_KIND: Record<string, string> = {
  'focus-lost': 'Meninggalkan jendela ujian',
  'fullscreen-exited': 'Keluar dari layar penuh',
  'login-locked': 'Login terkunci (PIN salah berulang kali)',
  'change-limit': 'Batas perubahan jawaban tercapai',
};

/**
 * The berita acara: a printable page (A4, with margins) and a CSV of the whole log. Every time is
 * the site's (WIB, WITA or WIT), never the server's UTC or the PC's zone.
 */
export function ReportView({ session, sittingId }: { session: string; sittingId: string }) {
  const [report, setReport] = useState<IncidentReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    getJson<IncidentReport>(session, `/api/admin/sittings/${encodeURIComponent(sittingId)}/report`).then(setReport, (e: Error) => setError(errorText(e)));
  }, [sittingId]);
  if (error) return <p class="error pad">{error}</p>;
  if (!report) return <p class="muted pad">Memuat…</p>;
  const s = report.sitting;
  const c = report.counts;
  const tz = s.timezone;
  // dated by the day it ran (a sitting may run on another day than scheduled); a time on another day says its date
  const day = siteDate(s.startedAt ?? s.openedAt ?? s.scheduledStart, tz);
  const at = (t: number | null) => (t === null ? '–' : siteDate(t, tz) === day ? siteTime(t, tz) : siteDateTime(t, tz));
  const actions = report.entries.filter((e) => e.part === 'action');
  const a = report.admissions;
  return (
    <main class="report pad">
      <div class="no-print report-tools">
        <a href={`#/sitting/${encodeURIComponent(s.id)}`}>← Kembali ke ruang</a>
        <button type="button" class="primary" onClick={() => window.print()}>
          Cetak
        </button>
        <button type="button" onClick={() => downloadCsv(session, `/api/admin/sittings/${encodeURIComponent(s.id)}/report?format=csv`, `berita-acara-${s.id}.csv`)}>
          Unduh CSV (seluruh catatan)
        </button>
      </div>
      <article class="paper">
        <h1>BERITA ACARA PELAKSANAAN UJIAN</h1>
        <p class="sub">
          {s.name} · {day}
        </p>
        <table class="facts">
          <tbody>
            <tr>
              <th scope="row">Lokasi / ruang</th>
              <td>
                {s.site} / {s.room}
              </td>
            </tr>
            <tr>
              <th scope="row">Jadwal</th>
              <td>{siteDateTime(s.scheduledStart, tz)}</td>
            </tr>
            <tr>
              <th scope="row">Dibuka · dimulai · ditutup</th>
              <td data-testid="sitting-times">
                {at(s.openedAt)} · {at(s.startedAt)} · {at(s.closedAt)}
              </td>
            </tr>
            <tr>
              <th scope="row">Durasi</th>
              <td>{s.durationMinutes} menit</td>
            </tr>
            <tr>
              <th scope="row">Komitmen benih soal (SHA-256)</th>
              <td class="mono small commitment" data-testid="seed-commitment">
                {s.seedCommitment}
                {s.beaconRound !== null && <> · dicampur dengan beacon drand putaran {s.beaconRound}</>}
              </td>
            </tr>
            <tr>
              <th scope="row">Kunci verifikasi log (Ed25519)</th>
              <td class="mono small commitment" data-testid="verifier-key">
                id {verifierKeyId(s.verifierKey)} · {s.verifierKey}
              </td>
            </tr>
            <tr>
              <th scope="row">Peserta terdaftar</th>
              <td data-testid="registered">{c.registered}</td>
            </tr>
            <tr>
              <th scope="row">
                Hadir · {s.status === 'closed' ? 'tidak hadir' : 'belum hadir'}
                {c.waiting > 0 ? ' · menunggu izin' : ''}
              </th>
              <td>
                <span data-testid="present">{c.present}</span> · <span data-testid="absent">{c.absent}</span>
                {c.waiting > 0 && <> · {c.waiting}</>}
              </td>
            </tr>
            <tr>
              <th scope="row">Selesai · dihentikan · masih mengerjakan</th>
              <td>
                <span data-testid="finished">{c.finished}</span> · <span data-testid="terminated">{c.terminated}</span> · {c.inProgress}
              </td>
            </tr>
            <tr>
              <th scope="row">Izin mulai</th>
              <td data-testid="admissions">
                {!s.requireAdmission && a.count === 0 ? 'tidak diperlukan (peserta diizinkan saat login)' : a.count === 0 ? 'tidak ada' : `${a.count} peserta, ${at(a.first)}${a.last !== a.first ? `–${at(a.last)}` : ''}, oleh ${a.by.join(', ')}`}
              </td>
            </tr>
          </tbody>
        </table>
        <p class="small muted">Semua waktu dalam {zoneAbbr(tz)}.</p>

        <h2>
          Peserta {s.status === 'closed' ? 'tidak hadir' : 'belum hadir'} ({report.absentees.length})
        </h2>
        {report.absentees.length === 0 ? (
          <p>Semua peserta hadir.</p>
        ) : (
          <table class="entries" data-testid="report-absentees">
            <thead>
              <tr>
                <th>No.</th>
                <th>No. peserta</th>
                <th>Nama</th>
                <th>Formasi</th>
                <th>Kursi</th>
              </tr>
            </thead>
            <tbody>
              {report.absentees.map((p, i) => (
                <tr key={p.id}>
                  <td class="num">{i + 1}</td>
                  <td class="mono">{p.registrationNumber}</td>
                  <td>{p.name}</td>
                  <td>{p.formation}</td>
                  <td class="mono">{p.seat ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <h2>Peringatan yang tercatat sistem ({report.alerts.length})</h2>
        {report.alerts.length === 0 ? (
          <p>Tidak ada peringatan.</p>
        ) : (
          <table class="entries" data-testid="report-alerts">
            <thead>
              <tr>
                <th>Peserta</th>
                <th>Kursi</th>
                <th>Peringatan</th>
                <th class="num">Jumlah</th>
                <th>Pertama · terakhir</th>
              </tr>
            </thead>
            <tbody>
              {report.alerts.map((x) => (
                <tr key={`${x.id}-${x.kind}`}>
                  <td>
                    <span class="mono">{x.registrationNumber}</span> {x.name}
                  </td>
                  <td class="mono">{x.seat ?? '–'}</td>
                  <td>{ALERT_KIND[x.kind] ?? x.kind}</td>
                  <td class="num">{x.count}×</td>
                  <td class="mono">
                    {siteTime(x.first, tz)}
                    {x.last !== x.first ? ` · ${siteTime(x.last, tz)}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}

        <h2>Kejadian dan tindakan pengawas ({actions.length})</h2>
        {actions.length === 0 ? (
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
              {actions.map((e) => {
                const { what, reason } = auditText(e);
                return (
                  <tr key={e.id}>
                    <td class="mono">{siteTime(e.at, tz)}</td>
                    <td>{what}</td>
                    <td>{e.registrationNumber ? `${e.registrationNumber} ${e.candidateName}` : '–'}</td>
                    <td>{reason ?? '–'}</td>
                    <td>{e.actorName}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <p class="generated">Dibuat {siteDateTime(report.generatedAt, tz)} oleh Kaca.</p>
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
