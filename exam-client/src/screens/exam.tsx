import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Chrome } from '../main';
import { currentKey, type ExamSession, type View } from '../session';
import type { Strings } from '../i18n';
import { Content } from '../content';
import { PauseIcon, TopBar } from './chrome';

const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'];
/** columns of the question grid (styles.css .grid) */
const GRID_COLUMNS = 8;
/** an option that is a picture and nothing else (figural items): laid out side by side */
const PICTURE_ONLY = /^\s*<img\b[^>]*>\s*$/i;

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

type CellState = 'answered' | 'unsure' | 'empty' | 'pending';

function cellState(view: View, i: number): CellState {
  if (view.unsaved.has(i)) return 'pending';
  if (view.flags[i]) return 'unsure';
  return view.answers[i] !== null ? 'answered' : 'empty';
}

/** "2 B, dijawab, ragu-ragu": it starts with what the cell shows, so a voice user can say it (WCAG 2.5.3). */
function cellLabel(t: Strings, view: View, i: number): string {
  const a = view.answers[i];
  const parts = [a !== null ? t.legendAnswered : t.legendUnanswered];
  if (view.flags[i]) parts.push(t.legendUnsure);
  if (view.unsaved.has(i)) parts.push(t.legendPending);
  return `${i + 1}${a !== null ? ` ${LETTERS[a]}` : ''}, ${parts.join(', ').toLowerCase()}`;
}

/**
 * The grid of every question number: one tab stop (a roving tabindex), arrow keys move between
 * numbers (a row is GRID_COLUMNS), Home and End to the ends, Enter or Space opens the question.
 * An answer not yet acknowledged by the server shows as pending, never as saved.
 */
function QuestionGrid({ t, view, count, current, onGo }: { t: Strings; view: View; count: number; current: number; onGo: (i: number) => void }) {
  const [stop, setStop] = useState(current);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    setStop(current);
    // a long paper scrolls the grid: the current number stays in sight (the grid scrolls, never the
    // page), also when the grid's size changes (a larger text size, a resized window)
    const grid = ref.current;
    if (!grid) return;
    const reveal = () => {
      const cell = grid.querySelector(`[data-cell="${current + 1}"]`);
      if (!cell || grid.scrollHeight <= grid.clientHeight) return;
      const g = grid.getBoundingClientRect();
      const r = cell.getBoundingClientRect();
      if (r.top < g.top + 6) grid.scrollTop -= g.top + 6 - r.top;
      else if (r.bottom > g.bottom - 6) grid.scrollTop += r.bottom - (g.bottom - 6);
    };
    reveal();
    const resized = new ResizeObserver(reveal);
    resized.observe(grid);
    return () => resized.disconnect();
  }, [current]);
  // With larger text the grid scrolls inside its panel: a cue says that numbers are out of sight,
  // and where, and a press scrolls there (the arrow keys and the current number reveal them too).
  const [hidden, setHidden] = useState<'below' | 'above' | null>(null);
  useEffect(() => {
    const grid = ref.current;
    if (!grid) return;
    const check = () => setHidden(grid.scrollHeight - grid.scrollTop - grid.clientHeight > 4 ? 'below' : grid.scrollTop > 4 ? 'above' : null);
    check();
    grid.addEventListener('scroll', check, { passive: true });
    const resized = new ResizeObserver(check);
    resized.observe(grid);
    return () => {
      grid.removeEventListener('scroll', check);
      resized.disconnect();
    };
  }, [count]);
  const onKeyDown = (e: KeyboardEvent) => {
    const at = Number((document.activeElement as HTMLElement | null)?.dataset.cell ?? stop + 1) - 1;
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, ArrowDown: at + GRID_COLUMNS, ArrowUp: at - GRID_COLUMNS, Home: 0, End: count - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    // the exam's own arrow keys (previous, next question) stay out of the grid
    e.stopPropagation();
    const n = Math.max(0, Math.min(count - 1, to));
    setStop(n);
    ref.current?.querySelector<HTMLElement>(`[data-cell="${n + 1}"]`)?.focus();
  };
  return (
    <>
    <div class={`grid${hidden ? ` hides-${hidden}` : ''}`} role="group" aria-label={t.questionNumbers} aria-describedby="grid-help" ref={ref} onKeyDown={onKeyDown}>
      {Array.from({ length: count }, (_, i) => {
        const state = cellState(view, i);
        const a = view.answers[i];
        return (
          <button
            type="button"
            key={i}
            tabIndex={i === stop ? 0 : -1}
            class={`cell ${state} ${view.flags[i] ? 'flagged' : ''} ${a !== null ? 'has-answer' : ''} ${i === current ? 'current' : ''}`}
            onClick={() => onGo(i)}
            onFocus={() => setStop(i)}
            aria-label={cellLabel(t, view, i)}
            aria-current={i === current ? 'step' : undefined}
            data-cell={i + 1}
          >
            <span class="num">{i + 1}</span>{' '}
            {a !== null && <span class="mark">{state === 'pending' ? '…' : LETTERS[a]}</span>}
            {view.flags[i] && <span class="flag-mark">?</span>}
          </button>
        );
      })}
      <span id="grid-help" class="sr-only">
        {t.gridHelp}
      </span>
    </div>
    {hidden && (
      <button
        type="button"
        class="grid-more"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="grid-more"
        onClick={() => ref.current?.scrollBy({ top: (hidden === 'below' ? 1 : -1) * ref.current.clientHeight * 0.8, behavior: 'smooth' })}
      >
        {hidden === 'below' ? `▼ ${t.numbersBelow}` : `▲ ${t.numbersAbove}`}
      </button>
    )}
    </>
  );
}

/** The focusable controls of a dialog, in tab order. */
function tabbable(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]')].filter((el) => !(el as HTMLButtonElement).disabled && el.tabIndex >= 0);
}

/**
 * Numbers that open their question: the unanswered and unsure of the finish dialog. One tab stop
 * per grid, as the question grid (82 unanswered numbers are not 82 presses of Tab): the arrow
 * keys, Home and End move within it, Enter or Space opens the question.
 */
function JumpGrid({ label, items, onGo, testId, kind, answered }: { label: string; items: number[]; onGo: (i: number) => void; testId: string; kind: string; answered?: (i: number) => boolean }) {
  const [stop, setStop] = useState(0);
  const ref = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent) => {
    const last = items.length - 1;
    const to = { ArrowRight: stop + 1, ArrowDown: stop + 1, ArrowLeft: stop - 1, ArrowUp: stop - 1, Home: 0, End: last }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    const n = Math.max(0, Math.min(last, to));
    setStop(n);
    ref.current?.querySelectorAll<HTMLElement>('.cell')[n]?.focus();
  };
  return (
    <section class="jump" aria-label={label} data-testid={testId}>
      <h3>
        {label} ({items.length})
      </h3>
      <div class="jump-grid" ref={ref} onKeyDown={onKeyDown}>
        {items.map((i, k) => (
          <button type="button" key={i} tabIndex={k === stop ? 0 : -1} onFocus={() => setStop(k)} class={`cell ${kind} ${answered?.(i) ? 'has-answer' : ''}`} onClick={() => onGo(i)} data-jump={i + 1}>
            {i + 1}
          </button>
        ))}
      </div>
    </section>
  );
}

/**
 * The finish dialog. Ending the exam cannot be undone, so focus starts on the safe choice
 * ("Kembali"): one Enter never ends the exam. Tab stays inside the dialog; Escape closes it and
 * focus goes back where it was. Unanswered and unsure questions are small grids whose numbers
 * open the question.
 */
function FinishDialog({ chrome, view, session, onClose, onGo }: { chrome: Chrome; view: View; session: ExamSession; onClose: () => void; onGo: (i: number) => void }) {
  const { t } = chrome;
  const unanswered = view.answers.flatMap((a, i) => (a === null ? [i] : []));
  const unsure = view.flags.flatMap((f, i) => (f ? [i] : []));
  const pending = view.unsaved.size > 0;
  const waiting = pending || view.connection !== 'online';
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDivElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  // a layout effect: focus is on "Kembali" before the next key press can reach anything else
  useLayoutEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    cancel.current?.focus();
    return () => opener?.focus?.();
  }, []);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
      return;
    }
    if (e.key !== 'Tab' || !dialog.current) return;
    const els = tabbable(dialog.current);
    const i = els.indexOf(document.activeElement as HTMLElement);
    const next = e.shiftKey ? (i <= 0 ? els.length - 1 : i - 1) : i === els.length - 1 ? 0 : i + 1;
    e.preventDefault();
    els[next]?.focus();
  };
  const finish = async () => {
    setBusy(true);
    try {
      await session.finish();
    } catch {
      setBusy(false);
    }
  };
  return (
    <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="finish-title" aria-describedby="finish-summary" onKeyDown={onKeyDown} ref={dialog}>
      <div class="card dialog finish-dialog">
        <h2 id="finish-title">{t.finishTitle}</h2>
        <p id="finish-summary">
          {t.legendAnswered}: <strong>{view.answers.length - unanswered.length}</strong> {t.of} {view.answers.length}
          {unanswered.length === 0 && unsure.length === 0 ? `. ${t.finishAllDone}` : `. ${t.finishJump}`}
        </p>
        {unanswered.length > 0 && <JumpGrid label={t.finishUnanswered} items={unanswered} onGo={onGo} testId="finish-unanswered" kind="empty" />}
        {unsure.length > 0 && <JumpGrid label={t.finishUnsure} items={unsure} onGo={onGo} testId="finish-unsure" kind="unsure" answered={(i) => view.answers[i] !== null} />}
        {pending && (
          <p class="error" role="alert">
            {t.finishPending}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" ref={cancel} onClick={onClose} data-testid="finish-cancel">
            {t.cancel}
          </button>
          <button type="button" class="danger" disabled={busy || waiting} onClick={finish} data-testid="finish-confirm">
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
  const key = currentKey(session.session);
  // where the candidate was: in this tab, or (another PC) the last question answered or flagged
  const [current, setCurrent] = useState(() => {
    const kept = sessionStorage.getItem(key);
    return kept !== null ? Number(kept) : st.resumeAt;
  });
  const [confirming, setConfirming] = useState(false);
  const [toast, setToast] = useState<string | null>(null);
  const idx = Math.min(current, Math.max(0, items.length - 1));
  const item = items[idx];
  const paused = st.attempt.paused;
  // Keys can arrive faster than renders: the handlers read the position from a ref, so "N" then
  // "B" answers the next question, never the one just left.
  const pos = useRef(idx);
  pos.current = idx;
  const options = useRef<HTMLDivElement>(null);
  // With larger text a question's last options may sit below the fold of its own scroll area:
  // a cue says so, and takes the candidate there.
  const content = useRef<HTMLDivElement>(null);
  const [moreBelow, setMoreBelow] = useState(false);
  useEffect(() => {
    const el = content.current;
    if (!el) return setMoreBelow(false);
    const check = () => setMoreBelow(el.scrollHeight - el.scrollTop - el.clientHeight > 4);
    check();
    el.addEventListener('scroll', check, { passive: true });
    const seen = new ResizeObserver(check);
    seen.observe(el);
    if (options.current) seen.observe(options.current);
    return () => {
      el.removeEventListener('scroll', check);
      seen.disconnect();
    };
    // a new question, or the question coming back after a pause; larger text resizes what is observed
  }, [idx, paused]);

  useEffect(() => sessionStorage.setItem(key, String(idx)), [idx]);

  // what the server pushed, worded here: fixed and polite, never the proctor's reason
  useEffect(() => {
    const n = view.notice;
    if (!n) return;
    const text = n.kind === 'extended' ? t.extendedBy(n.minutes ?? 0) : n.kind === 'resumed' ? t.resumedText : n.kind === 'error' ? (t.errors[n.code ?? ''] ?? t.saveFailed) : null;
    if (text) setToast(text);
  }, [view.notice?.id]);
  useEffect(() => {
    if (!toast) return;
    // long enough to be read by a candidate whose eyes are on the paper; closed sooner with its ×
    const id = setTimeout(() => setToast(null), 15_000);
    return () => clearTimeout(id);
  }, [toast]);

  // Leaving the window or full screen is reported to the proctor, as the rules say. A page that is
  // going away (a reload, which is how a candidate recovers a stuck screen) hides itself and
  // leaves full screen too: that is not leaving the exam, and is not reported. Chromium runs a
  // reload as beforeunload, blur, blur, pagehide. So the page counts as going from beforeunload
  // on; should it still be here 3 s later (the reload was stopped), a departure it saw meanwhile
  // is reported then, and the return if the window came back. And any other blur waits a moment before it is
  // reported, for the pagehide that would show the page going however slowly it reloaded.
  useEffect(() => {
    let unloading = false;
    let stayed: ReturnType<typeof setTimeout> | undefined;
    /** left the window or full screen while the page was going: to report if it stays */
    let missed = { focus: false, fullscreen: false };
    /** a focus-lost waiting to see whether a pagehide follows */
    let pending: ReturnType<typeof setTimeout> | undefined;
    const lost = () => {
      pending = undefined;
      session.report('focus-lost');
    };
    const going = () => {
      unloading = true;
      clearTimeout(stayed);
      stayed = setTimeout(() => {
        unloading = false;
        // the page stayed, so every blur it saw meanwhile was a departure: told, with the return if it came back
        if (missed.focus) {
          session.report('focus-lost');
          if (document.hasFocus()) session.report('focus-returned');
        }
        if (missed.fullscreen && !document.fullscreenElement) session.report('fullscreen-exited');
        missed = { focus: false, fullscreen: false };
      }, 3000);
    };
    const gone = () => {
      unloading = true;
      clearTimeout(pending);
      pending = undefined;
    };
    const back = () => (unloading = false);
    const blur = () => {
      if (unloading) missed.focus = true;
      else pending ??= setTimeout(lost, 300);
    };
    const focus = () => {
      // back within the window: the departure is still told when the window ends (the page stayed)
      if (unloading) return;
      // back within the moment: the departure is still told, before the return
      if (pending !== undefined) {
        clearTimeout(pending);
        lost();
      }
      session.report('focus-returned');
    };
    const vis = () => (document.hidden ? blur() : focus());
    const fs = () => {
      if (unloading) missed.fullscreen = !document.fullscreenElement;
      else session.report(document.fullscreenElement ? 'fullscreen-entered' : 'fullscreen-exited');
    };
    window.addEventListener('beforeunload', going);
    window.addEventListener('pagehide', gone);
    window.addEventListener('pageshow', back);
    window.addEventListener('blur', blur);
    window.addEventListener('focus', focus);
    document.addEventListener('visibilitychange', vis);
    document.addEventListener('fullscreenchange', fs);
    return () => {
      clearTimeout(stayed);
      // the screen closing (the exam ended) does not swallow a departure waiting to be told
      if (pending !== undefined) {
        clearTimeout(pending);
        lost();
      }
      window.removeEventListener('beforeunload', going);
      window.removeEventListener('pagehide', gone);
      window.removeEventListener('pageshow', back);
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
  // a repeat of the chosen option (double click, A pressed twice) keeps it: clearing is its own button
  const choose = (choice: number) => {
    if (!paused) session.answer(pos.current, choice);
  };
  const clear = () => {
    if (!paused) session.clear(pos.current);
  };
  const toggleFlag = () => {
    if (!paused) session.flag(pos.current, !session.currentFlag(pos.current));
  };
  const focusOption = (i: number) => {
    const els = options.current?.querySelectorAll<HTMLElement>('[role=radio]');
    if (els && els.length) els[Math.max(0, Math.min(els.length - 1, i))].focus();
  };
  // ↑ ↓ move between the options (a choice is made with Space, Enter, a click or its letter)
  const onOptionKey = (e: KeyboardEvent) => {
    const els = [...(options.current?.querySelectorAll<HTMLElement>('[role=radio]') ?? [])];
    const at = els.indexOf(document.activeElement as HTMLElement);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: els.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    focusOption(to);
  };

  // a layout effect: the keys work from the moment the question is on screen, not a frame later
  useLayoutEffect(() => {
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
      } else if (k === 'ARROWDOWN' || k === 'ARROWUP') {
        e.preventDefault();
        focusOption(session.currentAnswer(pos.current) ?? 0);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (!item) return null;
  const section = st.sections.find((s) => idx >= s.from && idx <= s.to);
  const saved = !view.unsaved.has(idx);
  const answer = view.answers[idx];
  const figural = item.options.every((o) => PICTURE_ONLY.test(o));

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
          <span data-testid="toast">{toast}</span>
          <button type="button" class="toast-close" aria-label={t.dismiss} title={t.dismiss} onClick={() => setToast(null)}>
            ×
          </button>
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
          {/* the clock stops during a pause, so the question does not show: a pause is not thinking time */}
          {paused ? (
            <p class="q-hidden" data-testid="q-hidden">
              {t.hiddenWhilePaused}
            </p>
          ) : (
            <div class={`q-content ${figural ? 'figural' : ''}`} ref={content}>
              <Content html={item.stem} class="stem" />
              <div class={`options ${figural ? 'figural' : ''}`} role="radiogroup" aria-labelledby="q-title" ref={options} onKeyDown={onOptionKey}>
                {item.options.map((opt, i) => {
                  const selected = answer === i;
                  return (
                    <button
                      type="button"
                      key={`${idx}-${i}`}
                      role="radio"
                      aria-checked={selected}
                      tabIndex={selected || (answer === null && i === 0) ? 0 : -1}
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
            </div>
          )}
          {moreBelow && !paused && (
            <button type="button" class="more-below" tabIndex={-1} aria-hidden="true" data-testid="more-below" onClick={() => content.current?.scrollTo({ top: content.current.scrollHeight, behavior: 'smooth' })}>
              ▼ {t.moreBelow}
            </button>
          )}
          <nav class="q-nav" aria-label={t.question}>
            <button type="button" onClick={() => go(idx - 1)} disabled={idx === 0}>
              ← {t.prev}
            </button>
            <button type="button" class="clear" onClick={clear} disabled={paused || answer === null} data-testid="clear-answer">
              {t.clearAnswer}
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
          <p class="help">{t.keyboardHelp(String.fromCharCode(64 + item.options.length))}</p>
        </main>
        <aside class="grid-panel" aria-label={t.questionNumbers}>
          <QuestionGrid t={t} view={view} count={items.length} current={idx} onGo={go} />
          <ul class="legend" aria-label={t.legend}>
            <li>
              <span class="cell answered sample" aria-hidden="true">
                <span class="mark">A</span>
              </span>{' '}
              {t.legendAnswered}
            </li>
            <li>
              <span class="cell empty sample" aria-hidden="true" /> {t.legendUnanswered}
            </li>
            <li>
              <span class="cell unsure sample" aria-hidden="true">
                <span class="flag-mark">?</span>
              </span>{' '}
              {t.legendUnsure}
            </li>
            <li>
              <span class="cell unsure has-answer sample" aria-hidden="true">
                <span class="mark">A</span>
                <span class="flag-mark">?</span>
              </span>{' '}
              {t.legendUnsureAnswered}
            </li>
            <li>
              <span class="cell pending sample" aria-hidden="true">
                <span class="mark">…</span>
              </span>{' '}
              {t.legendPending}
            </li>
            <li>
              <span class="cell current sample" aria-hidden="true" /> {t.legendCurrent}
            </li>
          </ul>
          <button type="button" class="danger finish-btn" onClick={() => setConfirming(true)}>
            {t.finish}
          </button>
        </aside>
      </div>
      {paused && (
        <div class="overlay paused" role="alertdialog" aria-labelledby="paused-title" aria-describedby="paused-text">
          <div class="card dialog">
            <h2 id="paused-title">
              <PauseIcon /> {t.paused}
            </h2>
            <p id="paused-text">{t.pausedText}</p>
          </div>
        </div>
      )}
      {confirming && (
        <FinishDialog
          chrome={chrome}
          view={view}
          session={session}
          onClose={() => setConfirming(false)}
          onGo={(i) => {
            setConfirming(false);
            go(i);
          }}
        />
      )}
    </div>
  );
}
