import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import jsQR from 'jsqr';
import { checkReceipt, type LogInfoLike, type LogProofLike, type ReceiptCheckResult, type ReceiptStep } from '../../../server/src/domain/verify/receipt-check';
import { keyIdHex } from '../../../server/src/domain/verify/signed-note';
import '../shared/base.css';
import './verify.css';

/**
 * /verify/: a candidate (or anyone holding a receipt) checks it in the browser against the
 * server's published log: pasted, scanned with the camera, or read from a photo of its QR code.
 * Every check runs here, with the same code the auditors' verifier uses; the server only hands
 * over the public key, the finish leaf and the proofs.
 */
const STEP_TITLE: Record<ReceiptStep['id'], string> = {
  format: 'Bentuk tanda terima',
  key: 'Kunci penanda tangan',
  signature: 'Tanda tangan',
  leaf: 'Catatan selesai di log',
  inclusion: 'Tercatat di log',
  checkpoint: 'Checkpoint terakhir',
  consistency: 'Log tidak ditulis ulang',
};
const VERDICT: Record<ReceiptCheckResult['verdict'], { title: string; text: string }> = {
  verified: { title: 'Terverifikasi', text: 'Tanda terima ini sah dan nilainya tercatat di log sesi yang tidak diubah sejak diterbitkan.' },
  signed: { title: 'Tanda tangan sah', text: 'Tanda terima ini ditandatangani server. Bukti pencatatan di log tersedia setelah sesi ditutup: periksa lagi nanti.' },
  failed: { title: 'Tidak terverifikasi', text: 'Ada pemeriksaan yang gagal (lihat di bawah). Laporkan kepada panitia dengan membawa tanda terima ini.' },
};
const END_REASON: Record<string, string> = { candidate: 'mengakhiri sendiri', time: 'waktu habis', terminated: 'dihentikan pengawas', 'sitting-closed': 'sesi ditutup' };

/**
 * What a step found, in Indonesian. A passed or waiting step is said from the receipt and the
 * step's facts; a failed one keeps the verifier's own words (they name the exact fault, for the
 * committee), after an Indonesian lead.
 */
function stepText(s: ReceiptStep, result: ReceiptCheckResult): { text: string; english?: string } {
  const r = result.receipt;
  const key = result.key;
  const keyName = key?.name ?? '';
  if (s.status === 'failed') return { text: 'Pemeriksaan ini gagal. Keterangan teknis untuk panitia:', english: s.detail };
  if (s.status === 'waiting') return { text: 'Sesi masih berlangsung: bukti bahwa log menyimpan tanda terima ini diumumkan saat sesi ditutup.' };
  if (!r) return { text: s.detail };
  const size = s.facts?.checkpointSize ?? 0;
  switch (s.id) {
    case 'format':
      return { text: `Tanda terima ${r.registrationNumber} pada sesi ${r.sittingId}.` };
    case 'key':
      return { text: `Log ${r.origin}, kunci ${keyName} (id ${key ? keyIdHex(key.keyId) : ''}), ${s.facts?.keyGiven ? 'sesuai kunci yang Anda isikan.' : 'seperti diumumkan server ini: bandingkan id-nya dengan yang tertera di berita acara dan di papan skor.'}` };
    case 'signature':
      return { text: `Ditandatangani ${keyName}: nilai, naskah, dan jawaban sesuai catatan server pada catatan log ke-${r.leafIndex}.` };
    case 'leaf':
      return { text: `Catatan ke-${r.leafIndex}: ${r.registrationNumber} selesai (${END_REASON[s.facts?.endReason ?? ''] ?? s.facts?.endReason}) dengan ${r.scores.map(([sec, p]) => `${sec} ${p}`).join(', ')}.` };
    case 'inclusion':
      return { text: `Tercantum dalam log berisi ${r.logSize} catatan yang disebut tanda terima.` };
    case 'checkpoint':
      return { text: `Checkpoint terakhir, ${size} catatan, ditandatangani ${keyName}.` };
    case 'consistency':
      return { text: `Log hanya bertambah sejak itu: ${r.logSize} catatannya adalah awal dari ${size} catatan checkpoint terakhir.` };
  }
}

const MARK: Record<ReceiptStep['status'], string> = { ok: '✓', failed: '✗', waiting: '…' };
const STATUS_TEXT: Record<ReceiptStep['status'], string> = { ok: 'lulus', failed: 'gagal', waiting: 'menunggu' };

/** A receipt as pasted or scanned: the note itself, or a result screen's QR address carrying it (…/verify/#r=…). */
function receiptOf(value: string): string {
  const at = value.indexOf('#r=');
  if (/^https?:\/\//.test(value.trim()) && at >= 0) {
    try {
      return decodeURIComponent(value.slice(at + 3).trim());
    } catch {
      return value;
    }
  }
  return value;
}

async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url);
  const body = (await r.json()) as T & { error?: { message: string } };
  if (!r.ok) throw new Error(body.error?.message ?? `HTTP ${r.status}`);
  return body;
}

const source = {
  logInfo: (sittingId: string) => getJson<LogInfoLike>(`/api/sittings/${encodeURIComponent(sittingId)}/log`),
  proof: (sittingId: string, leaf: number, size: number) => getJson<LogProofLike>(`/api/sittings/${encodeURIComponent(sittingId)}/log/proof?leaf=${leaf}&size=${size}`),
};

/** Reads a QR code from an image (a photo, a screenshot, a camera frame). */
function decodeImage(source: CanvasImageSource, width: number, height: number): string | null {
  const canvas = document.createElement('canvas');
  const scale = Math.min(1, 1600 / Math.max(width, height));
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
}

function Camera({ onText, onClose }: { onText: (t: string) => void; onClose: () => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer = 0;
    let stopped = false;
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then((s) => {
        if (stopped) return s.getTracks().forEach((t) => t.stop());
        stream = s;
        const v = video.current!;
        v.srcObject = s;
        void v.play();
        timer = window.setInterval(() => {
          if (v.videoWidth === 0) return;
          const text = decodeImage(v, v.videoWidth, v.videoHeight);
          if (text) onText(text);
        }, 300);
      })
      .catch((e: Error) => setError(`Kamera tidak dapat dibuka: ${e.message}`));
    return () => {
      stopped = true;
      window.clearInterval(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);
  return (
    <div class="camera">
      {error ? <p class="error">{error}</p> : <video ref={video} muted playsInline aria-label="Tampilan kamera: arahkan ke kode QR tanda terima" />}
      <button onClick={onClose}>Tutup kamera</button>
    </div>
  );
}

function Result({ result }: { result: ReceiptCheckResult }) {
  const v = VERDICT[result.verdict];
  const r = result.receipt;
  return (
    <section class={`result verdict-${result.verdict}`} aria-live="polite">
      <h2>
        <span aria-hidden="true">{result.verdict === 'verified' ? '✓ ' : result.verdict === 'failed' ? '✗ ' : '… '}</span>
        {v.title}
      </h2>
      <p>{v.text}</p>
      {r && (
        <dl class="receipt-fields">
          <dt>Nomor peserta</dt>
          <dd class="mono">{r.registrationNumber}</dd>
          <dt>Sesi</dt>
          <dd class="mono">{r.sittingId}</dd>
          <dt>Nilai</dt>
          <dd>
            {r.scores.map(([s, p]) => `${s} ${p}`).join(' · ')} · <strong>total {r.total}</strong>
          </dd>
          <dt>Posisi di log</dt>
          <dd class="mono">
            catatan ke-{r.leafIndex} dari {r.logSize}
          </dd>
        </dl>
      )}
      <ol class="steps">
        {result.steps.map((s) => (
          <li key={s.id} class={`step step-${s.status}`}>
            <span class="mark" aria-hidden="true">
              {MARK[s.status]}
            </span>
            <span>
              <strong>{STEP_TITLE[s.id]}</strong> <span class="sr-only">({STATUS_TEXT[s.status]})</span>
              <br />
              <StepDetail step={s} result={result} />
            </span>
          </li>
        ))}
      </ol>
      {result.key && (
        <p class="small muted">
          Kunci: <span class="mono">{result.key.name}</span> · id <span class="mono">{keyIdHex(result.key.keyId)}</span>
        </p>
      )}
    </section>
  );
}

function StepDetail({ step, result }: { step: ReceiptStep; result: ReceiptCheckResult }) {
  const said = stepText(step, result);
  return (
    <span class="small muted">
      {said.text}
      {said.english !== undefined && (
        <>
          {' '}
          <span lang="en">{said.english}</span>
        </>
      )}
    </span>
  );
}

function App() {
  const [text, setText] = useState('');
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ReceiptCheckResult | null>(null);
  const [camera, setCamera] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const check = async (value = text) => {
    if (!value.trim()) return;
    setBusy(true);
    setResult(null);
    try {
      setResult(await checkReceipt(receiptOf(value), source, key));
    } finally {
      setBusy(false);
    }
  };
  // a result screen's QR code opens this page with the receipt after '#r='
  useEffect(() => {
    const fromHash = () => {
      const r = new URLSearchParams(location.hash.slice(1)).get('r');
      if (!r) return;
      setText(r);
      void check(r);
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
  }, []);

  const scanned = (value: string) => {
    const note = receiptOf(value);
    setCamera(false);
    setText(note);
    setNotice('Kode QR terbaca.');
    void check(note);
  };
  const fromFile = (file: File | undefined) => {
    if (!file) return;
    // decoded straight from the file: no blob: URL for the page's content security policy to refuse
    createImageBitmap(file).then(
      (bitmap) => {
        const value = decodeImage(bitmap, bitmap.width, bitmap.height);
        bitmap.close();
        if (value) scanned(value);
        else setNotice('Tidak ada kode QR yang terbaca di gambar itu. Coba foto yang lebih dekat dan terang.');
      },
      () => setNotice('Berkas itu bukan gambar yang dapat dibaca.'),
    );
  };

  return (
    <>
      <header class="topbar">
        <a class="brand" href="/scoreboard/">
          Kaca
        </a>
        <span>Periksa tanda terima</span>
      </header>
      <main class="verify">
        <h1>Periksa tanda terima nilai</h1>
        <p class="muted">
          Setiap peserta menerima tanda terima bertanda tangan saat selesai. Tempel teksnya atau pindai kode QR-nya: halaman ini memeriksa tanda tangan dan, setelah sesi ditutup, bahwa nilainya tercatat di log sesi yang tidak dapat diubah diam-diam. Semua
          pemeriksaan berjalan di peramban ini.
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void check();
          }}
        >
          <label for="receipt">Teks tanda terima</label>
          <textarea id="receipt" class="mono" rows={14} spellcheck={false} value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder={'kaca-receipt/v1\norigin …'} />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy || !text.trim()}>
              {busy ? 'Memeriksa…' : 'Periksa'}
            </button>
            <button type="button" onClick={() => setCamera(true)} disabled={camera}>
              Pindai dengan kamera
            </button>
            <label class="button file">
              Baca dari foto
              <input type="file" accept="image/*" onChange={(e) => fromFile(e.currentTarget.files?.[0])} />
            </label>
          </div>
          <details>
            <summary>Kunci dari berita acara (pilihan)</summary>
            <label for="key">Kunci verifikasi yang diumumkan di lokasi ujian</label>
            <input id="key" class="mono" value={key} onInput={(e) => setKey(e.currentTarget.value)} placeholder="nama+id+kunci" />
            <p class="small muted">Tanpa isian ini, halaman memakai kunci yang diumumkan server ini; bandingkan id-nya dengan yang tertera di berita acara.</p>
          </details>
        </form>
        {camera && <Camera onText={scanned} onClose={() => setCamera(false)} />}
        {notice && (
          <p class="small" role="status">
            {notice}
          </p>
        )}
        {result && <Result result={result} />}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
