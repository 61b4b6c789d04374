import { useState } from 'preact/hooks';
import type { Chrome } from '../main';
import { practiceKey, type ExamSession, type View } from '../session';
import { AckError } from '../../../server/src/contract/errors';
import { TopBar } from './chrome';
import { PracticeScreen } from './practice';

export function MessageScreen({ chrome, title, text, view, action }: { chrome: Chrome; title: string; text: string; view?: View; action?: { label: string; run: () => void } }) {
  return (
    <div class="page">
      <TopBar chrome={chrome} connection={view?.connection} />
      <main class="center">
        <section class="card message" aria-live="polite">
          <h1>{title}</h1>
          {view?.state && (
            <p class="who">
              {view.state.candidate.name} · {view.state.candidate.registrationNumber}
            </p>
          )}
          {text && <p>{text}</p>}
          {action && (
            <button type="button" class="primary" onClick={action.run}>
              {action.label}
            </button>
          )}
        </section>
      </main>
    </div>
  );
}

/**
 * Identity confirmation and the rules; starting asks for full screen (the proctor sees if it is
 * left). Before the proctor starts the sitting, "Mulai ujian" makes the candidate ready and the
 * questions open the moment the start is pushed (sitting:updated), with no second press.
 */
export function ConfirmScreen({ chrome, view, session }: { chrome: Chrome; view: View; session: ExamSession }) {
  const { t } = chrome;
  const st = view.state!;
  const c = st.candidate;
  const [agreed, setAgreed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // a reload in the middle of the practice round comes back to it, not to the rules
  const [practising, setPractising] = useState(() => sessionStorage.getItem(practiceKey(session.session)) !== null);
  if (practising && st.practice)
    return (
      <PracticeScreen
        chrome={chrome}
        items={st.practice}
        storageKey={practiceKey(session.session)}
        onDone={() => {
          sessionStorage.removeItem(practiceKey(session.session));
          setPractising(false);
        }}
      />
    );
  const running = st.sitting.status === 'running';
  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      // full screen needs this press: a start pushed later cannot ask for it
      await document.documentElement.requestFullscreen?.().catch(() => undefined);
      if (!running) session.arm();
      else await session.start();
    } catch (err) {
      const code = err instanceof AckError ? err.code : 'NETWORK';
      if (code === 'SITTING_NOT_OPEN') session.arm();
      else setError(t.errors[code] ?? (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const status = !running ? (view.armed ? t.armedText : t.notStartedText) : view.notice?.kind === 'started' ? t.startedText : '';
  const minutes = Math.round(st.attempt.durationMs / 60000);
  return (
    <div class="page">
      <TopBar chrome={chrome} connection={view.connection} />
      <main class="center">
        <section class="card confirm" aria-labelledby="confirm-title">
          <h1 id="confirm-title">{t.confirmTitle}</h1>
          <div class="identity">
            {c.photoUrl ? <img src={c.photoUrl} alt={c.name} class="photo" /> : <div class="photo placeholder" aria-hidden="true">{c.name.slice(0, 1)}</div>}
            <dl>
              <dt>{t.name}</dt>
              <dd class="cand-name">{c.name}</dd>
              <dt>{t.registrationNumber}</dt>
              <dd>{c.registrationNumber}</dd>
              <dt>{t.formation}</dt>
              <dd>{c.formation}</dd>
              <dt>{t.site}</dt>
              <dd>
                {st.sitting.name} · {st.sitting.site} · {st.sitting.room}
              </dd>
            </dl>
          </div>
          <h2>{t.rulesTitle}</h2>
          <p>
            {st.sections.map((s) => `${s.id} (${s.to - s.from + 1})`).join(' · ')} · {minutes} {t.minutes}
          </p>
          <ol class="rules">
            {t.rules.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ol>
          {st.practice && (
            <p>
              <button type="button" class="practice-btn" onClick={() => setPractising(true)}>
                {t.practiceStart}
              </button>
            </p>
          )}
          <label class="agree">
            <input type="checkbox" checked={agreed} onChange={(e) => setAgreed(e.currentTarget.checked)} /> {t.agree}
          </label>
          <p class={`start-status ${status ? (running ? 'go' : 'wait') : ''}`} role="status" aria-live="polite" data-testid="start-status">
            {status}
          </p>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          <button type="button" class="primary big" disabled={!agreed || busy || view.armed} onClick={start} data-testid="start">
            {view.armed ? t.waitingStart : t.start}
          </button>
        </section>
      </main>
    </div>
  );
}
