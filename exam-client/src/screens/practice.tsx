import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Chrome } from '../main';
import type { PracticeItem } from '../../../server/src/contract/candidate';
import { Content } from '../content';
import { TopBar } from './chrome';

const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'];

/**
 * The practice round: sample questions answered on this PC only, with the points each choice
 * would earn. Nothing is sent to the server and the exam clock has not started.
 */
/** Where the round stood on this tab, if it is the same round (the same number of items). */
function stored(key: string, items: PracticeItem[]): { idx: number; picked: (number | null)[] } | null {
  const count = items.length;
  try {
    const v = JSON.parse(sessionStorage.getItem(key) ?? 'null') as { idx?: unknown; picked?: unknown } | null;
    if (!v || !Array.isArray(v.picked) || v.picked.length !== count || typeof v.idx !== 'number') return null;
    const picked = v.picked.map((p, k) => (typeof p === 'number' && p >= 0 && p < items[k].options.length ? p : null));
    return { idx: Math.max(0, Math.min(count - 1, Math.floor(v.idx))), picked };
  } catch {
    return null;
  }
}

export function PracticeScreen({ chrome, items, storageKey, onDone }: { chrome: Chrome; items: PracticeItem[]; storageKey: string; onDone: () => void }) {
  const { t } = chrome;
  const [resumed] = useState(() => stored(storageKey, items));
  const [idx, setIdx] = useState(resumed?.idx ?? 0);
  const [picked, setPicked] = useState<(number | null)[]>(() => resumed?.picked ?? items.map(() => null));
  // kept on this tab while the round goes on: a reload (F5, a crash of the tab) comes back here
  useEffect(() => sessionStorage.setItem(storageKey, JSON.stringify({ idx, picked })), [storageKey, idx, picked]);
  const item = items[idx];
  const choice = picked[idx];
  const best = Math.max(...item.points);
  // keys can come faster than renders: the position is read from a ref, as on the exam screen
  const pos = useRef(idx);
  pos.current = idx;
  const pick = (i: number) => {
    const at = pos.current;
    setPicked((all) => all.map((p, k) => (k === at ? i : p)));
  };
  const move = (to: number) => {
    pos.current = Math.max(0, Math.min(items.length - 1, to));
    setIdx(pos.current);
  };
  // the exam's keys work here too: A-E choose, ← → or N/P move (from the moment the screen shows)
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.altKey || e.metaKey) return;
      const k = e.key.toUpperCase();
      const letter = LETTERS.indexOf(k);
      if (letter >= 0 && letter < items[pos.current].options.length) pick(letter);
      else if (k === 'ARROWRIGHT' || k === 'N') move(pos.current + 1);
      else if (k === 'ARROWLEFT' || k === 'P') move(pos.current - 1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  return (
    <div class="page">
      <TopBar chrome={chrome}>
        <div class="who-bar">
          <strong>{t.practiceTitle}</strong> · {t.practiceNote}
        </div>
      </TopBar>
      <main class="center">
        <section class="card practice question-panel" aria-labelledby="practice-title">
          <div class="q-head">
            <h1 id="practice-title">
              {t.practiceTitle} {idx + 1} {t.of} {items.length}
            </h1>
            <span class="section-tag">
              {t.section} {item.section}
            </span>
          </div>
          <Content html={item.stem} class="stem" />
          <div class="options" role="radiogroup" aria-labelledby="practice-title">
            {item.options.map((opt, i) => {
              const selected = choice === i;
              const shown = choice !== null;
              const cls = shown && item.points[i] === best ? 'best' : selected ? 'chosen-wrong' : '';
              return (
                <button type="button" key={`${idx}-${i}`} role="radio" aria-checked={selected} class={`option ${cls}`} onClick={() => pick(i)} data-option={LETTERS[i]}>
                  <span class="letter">{LETTERS[i]}</span>
                  <Content html={opt} class="option-text" inline />
                  {shown && <span class="points">{item.points[i]} {t.points}</span>}
                </button>
              );
            })}
          </div>
          {choice !== null && (
            <p class="practice-feedback" role="status" data-testid="practice-feedback">
              {item.points[choice] === best ? `✔ ${t.practiceRight}` : `✖ ${t.practiceWrong}`} ({item.points[choice]} {t.points})
            </p>
          )}
          <nav class="q-nav">
            <button type="button" onClick={() => move(idx - 1)} disabled={idx === 0}>
              ← {t.prev}
            </button>
            {idx < items.length - 1 ? (
              <button type="button" class="primary" onClick={() => move(idx + 1)}>
                {t.next} →
              </button>
            ) : (
              <button type="button" class="primary" onClick={onDone}>
                {t.practiceDone}
              </button>
            )}
          </nav>
        </section>
      </main>
    </div>
  );
}
