import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Chrome } from '../main';
import type { ExamSession, View } from '../session';
import { Content } from '../content';
import { TopBar } from './chrome';

const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'];

function formatTime(ms: number): string {
  const s = Math.ceil(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = h > 0 ? `${h}:${String(m).padStart(2, '0')}` : String(m).padStart(2, '0');
  return `${mm}:${String(sec).padStart(2, '0')}`;
}

/** The countdown, from the server's remaining time and the local monotonic clock. */
function Countdown({ session, view, chrome, onWarn }: { session: ExamSession; view: View; chrome: Chrome; onWarn: (text: string) => void }) {
  const [ms, setMs] = useState(session.remainingMs());
  const warned = useRef<Set<number>>(new Set());
  const askedAtZero = useRef(false);
  useEffect(() => {
    const tick = () => {
      const left = session.remainingMs();
      setMs(left);
      for (const [min, text] of [[10, chrome.t.warn10], [5, chrome.t.warn5]] as const) {
        if (left <= min * 60_000 && left > (min - 1) * 60_000 && !warned.current.has(min)) {
          warned.current.add(min);
          onWarn(text);
        }
      }
      // At 0 the server ends the exam; ask it in case its push is lost.
      if (left <= 0 && !askedAtZero.current) {
        askedAtZero.current = true;
        setTimeout(() => session.resync(), 1500);
      }
    };
    tick();
    const id = setInterval(tick, 250);
    return () => clearInterval(id);
  }, [session, view.state?.attempt.remainingMs, view.state?.attempt.paused]);
  const level = ms <= 5 * 60_000 ? 'danger' : ms <= 10 * 60_000 ? 'warn' : '';
  return (
    <div class={`countdown ${level}`} role="timer" aria-label={chrome.t.timeLeft}>
      <span class="label">{chrome.t.timeLeft}</span>
      <span class="time" data-testid="time-left">
        {ms <= 0 ? chrome.t.timeUp : formatTime(ms)}
      </span>
    </div>
  );
}

function FinishDialog({ chrome, view, session, onClose }: { chrome: Chrome; view: View; session: ExamSession; onClose: () => void }) {
  const { t } = chrome;
  const unanswered = view.answers.map((a, i) => (a === null ? i + 1 : 0)).filter(Boolean);
  const unsure = view.flags.map((f, i) => (f ? i + 1 : 0)).filter(Boolean);
  const pending = view.unsaved.size > 0;
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const waiting = pending || view.connection !== 'online';
  // Focus moves into the dialog as it appears (a layout effect: before the next key press can
  // reach the button behind it): to the confirm button, or to Back while confirming is blocked
  // (answers still saving, offline), then on to confirm once it is allowed, unless the
  // candidate has moved focus themselves.
  const autoFocused = useRef<HTMLElement | null>(null);
  useLayoutEffect(() => {
    const active = document.activeElement;
    const inside = active instanceof HTMLElement && active.closest('[role=dialog]') !== null;
    if (inside && active !== autoFocused.current) return;
    const target = waiting ? cancelRef.current : confirmRef.current;
    target?.focus();
    autoFocused.current = target;
  }, [waiting]);
  const finish = async () => {
    setBusy(true);
    try {
      await session.finish();
    } catch {
      setBusy(false);
    }
  };
  return (
    <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="finish-title" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div class="card dialog">
        <h2 id="finish-title">{t.finishTitle}</h2>
        {unanswered.length === 0 && unsure.length === 0 && <p>{t.finishAllDone}</p>}
        {unanswered.length > 0 && (
          <p class="list" data-testid="finish-unanswered">
            <strong>
              {t.finishUnanswered} ({unanswered.length}):
            </strong>{' '}
            {unanswered.join(', ')}
          </p>
        )}
        {unsure.length > 0 && (
          <p class="list" data-testid="finish-unsure">
            <strong>
              {t.finishUnsure} ({unsure.length}):
            </strong>{' '}
            {unsure.join(', ')}
          </p>
        )}
        {pending && (
          <p class="error" role="alert">
            {t.finishPending}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" ref={cancelRef} onClick={onClose}>
            {t.cancel}
          </button>
          <button type="button" class="danger" ref={confirmRef} disabled={busy || waiting} onClick={finish}>
            {t.finishConfirm}
          </button>
        </div>
      </div>
    </div>
  );
}

export function ExamScreen({ chrome, view, session }: { chrome: Chrome; view: View; session: ExamSession }) {
  const { t } = chrome;
  const st = view.state!;
  const items = st.items ?? [];
  const [current, setCurrent] = useState(() => Number(sessionStorage.getItem('kaca.current')) || 0);
  const [confirming, setConfirming] = useState(false);
  const [toast, setToast] = useState<string | null>(null);
  const idx = Math.min(current, Math.max(0, items.length - 1));
  const item = items[idx];
  const paused = st.attempt.paused;
  // Keys can arrive faster than renders: the handlers read the position from a ref, so "N" then
  // "B" answers the next question, never the one just left.
  const pos = useRef(idx);
  pos.current = idx;

  useEffect(() => sessionStorage.setItem('kaca.current', String(idx)), [idx]);

  useEffect(() => {
    const n = view.notice;
    if (!n) return;
    const text = n.kind === 'extended' ? t.extended : n.kind === 'resumed' ? t.resumed : n.kind === 'error' ? n.text : null;
    if (text) setToast(text + (n.text && n.kind !== 'error' ? ` (${n.text})` : ''));
  }, [view.notice]);
  useEffect(() => {
    if (!toast) return;
    const id = setTimeout(() => setToast(null), 6000);
    return () => clearTimeout(id);
  }, [toast]);

  // Leaving the window or full screen is reported to the proctor, as the rules say.
  useEffect(() => {
    const blur = () => session.report('focus-lost');
    const focus = () => session.report('focus-returned');
    const vis = () => (document.hidden ? blur() : focus());
    const fs = () => session.report(document.fullscreenElement ? 'fullscreen-entered' : 'fullscreen-exited');
    window.addEventListener('blur', blur);
    window.addEventListener('focus', focus);
    document.addEventListener('visibilitychange', vis);
    document.addEventListener('fullscreenchange', fs);
    return () => {
      window.removeEventListener('blur', blur);
      window.removeEventListener('focus', focus);
      document.removeEventListener('visibilitychange', vis);
      document.removeEventListener('fullscreenchange', fs);
    };
  }, [session]);

  const go = (i: number) => {
    pos.current = Math.max(0, Math.min(items.length - 1, i));
    setCurrent(pos.current);
  };
  const choose = (choice: number) => {
    if (paused) return;
    const at = pos.current;
    session.answer(at, session.currentAnswer(at) === choice ? null : choice);
  };
  const toggleFlag = () => {
    if (!paused) session.flag(pos.current, !session.currentFlag(pos.current));
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (confirming || e.ctrlKey || e.altKey || e.metaKey) return;
      const target = e.target as HTMLElement;
      if (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA') return;
      const k = e.key.toUpperCase();
      const letter = LETTERS.indexOf(k);
      const here = items[pos.current];
      if (letter >= 0 && here && letter < here.options.length) {
        e.preventDefault();
        choose(letter);
      } else if (k === 'ARROWRIGHT' || k === 'N') {
        e.preventDefault();
        go(pos.current + 1);
      } else if (k === 'ARROWLEFT' || k === 'P') {
        e.preventDefault();
        go(pos.current - 1);
      } else if (k === 'F') {
        e.preventDefault();
        toggleFlag();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (!item) return null;
  const section = st.sections.find((s) => idx >= s.from && idx <= s.to);
  const saved = !view.unsaved.has(idx);
  const answer = view.answers[idx];

  return (
    <div class="page exam">
      <TopBar chrome={chrome} connection={view.connection}>
        <div class="who-bar">
          <strong>{st.candidate.name}</strong> · {st.candidate.registrationNumber}
        </div>
        <Countdown session={session} view={view} chrome={chrome} onWarn={setToast} />
      </TopBar>
      {toast && (
        <div class="toast" role="status" aria-live="assertive">
          {toast}
        </div>
      )}
      <div class="exam-body">
        <main class="question-panel" aria-labelledby="q-title">
          <div class="q-head">
            <h1 id="q-title">
              {t.question} <span data-testid="q-number">{idx + 1}</span> {t.of} {items.length}
            </h1>
            <span class="section-tag">
              {t.section} {section?.id}
              {section ? ` · ${section.title}` : ''}
            </span>
            <span class={`save-state ${answer === null && saved ? 'none' : saved ? 'saved' : 'saving'}`} data-testid="save-state" aria-live="polite">
              {answer === null && saved ? '' : saved ? `✓ ${t.saved}` : `… ${t.saving}`}
            </span>
          </div>
          <Content html={item.stem} class="stem" />
          <div class="options" role="radiogroup" aria-labelledby="q-title">
            {item.options.map((opt, i) => {
              const selected = answer === i;
              return (
                <button
                  type="button"
                  key={`${idx}-${i}`}
                  role="radio"
                  aria-checked={selected}
                  class={`option ${selected ? 'selected' : ''} ${selected && !saved ? 'pending' : ''}`}
                  onClick={() => choose(i)}
                  disabled={paused}
                  data-option={LETTERS[i]}
                >
                  <span class="letter">{LETTERS[i]}</span>
                  <Content html={opt} class="option-text" inline />
                  {selected && <span class="tick">{saved ? '✓' : '…'}</span>}
                </button>
              );
            })}
          </div>
          <nav class="q-nav">
            <button type="button" onClick={() => go(idx - 1)} disabled={idx === 0}>
              ← {t.prev}
            </button>
            <button type="button" class={`flag ${view.flags[idx] ? 'on' : ''}`} aria-pressed={view.flags[idx]} onClick={toggleFlag} disabled={paused}>
              ? {t.unsure}
            </button>
            {idx < items.length - 1 ? (
              <button type="button" class="primary" onClick={() => go(idx + 1)}>
                {t.next} →
              </button>
            ) : (
              <button type="button" class="danger" onClick={() => setConfirming(true)}>
                {t.finish}
              </button>
            )}
          </nav>
          <p class="help">{t.keyboardHelp}</p>
        </main>
        <aside class="grid-panel" aria-label={t.legend}>
          <div class="grid" role="list">
            {items.map((_, i) => {
              const answered = view.answers[i] !== null;
              const flagged = view.flags[i];
              const cls = flagged ? 'unsure' : answered ? 'answered' : 'empty';
              return (
                <button
                  type="button"
                  role="listitem"
                  key={i}
                  class={`cell ${cls} ${i === idx ? 'current' : ''}`}
                  onClick={() => go(i)}
                  aria-label={`${t.question} ${i + 1}: ${flagged ? t.legendUnsure : answered ? t.legendAnswered : t.legendUnanswered}`}
                  aria-current={i === idx}
                  data-cell={i + 1}
                >
                  <span class="num">{i + 1}</span>
                  {answered && <span class="mark">{view.answers[i] !== null ? LETTERS[view.answers[i]!] : ''}</span>}
                  {flagged && <span class="flag-mark">?</span>}
                </button>
              );
            })}
          </div>
          <ul class="legend">
            <li>
              <span class="cell answered sample">
                <span class="mark">A</span>
              </span>{' '}
              {t.legendAnswered}
            </li>
            <li>
              <span class="cell empty sample" /> {t.legendUnanswered}
            </li>
            <li>
              <span class="cell unsure sample">
                <span class="flag-mark">?</span>
              </span>{' '}
              {t.legendUnsure}
            </li>
            <li>
              <span class="cell current sample" /> {t.legendCurrent}
            </li>
          </ul>
          <button type="button" class="danger finish-btn" onClick={() => setConfirming(true)}>
            {t.finish}
          </button>
        </aside>
      </div>
      {paused && (
        <div class="overlay paused" role="alertdialog" aria-labelledby="paused-title">
          <div class="card dialog">
            <h2 id="paused-title">⏸ {t.paused}</h2>
            <p>{t.pausedText}</p>
            {view.notice?.kind === 'paused' && view.notice.text && <p class="small">{view.notice.text}</p>}
          </div>
        </div>
      )}
      {confirming && <FinishDialog chrome={chrome} view={view} session={session} onClose={() => setConfirming(false)} />}
    </div>
  );
}
