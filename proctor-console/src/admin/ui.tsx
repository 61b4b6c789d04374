import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import { currentLang, t, type Key } from './i18n';

/** Small pieces every admin page uses. */

export const ZONES: Record<string, { label: string; offset: string }> = {
  'Asia/Jakarta': { label: 'WIB', offset: '+07:00' },
  'Asia/Makassar': { label: 'WITA', offset: '+08:00' },
  'Asia/Jayapura': { label: 'WIT', offset: '+09:00' },
};

/** A time as printed at the site: in its zone, with WIB/WITA/WIT. */
export function siteTime(ms: number | null, zone = 'Asia/Jakarta'): string {
  if (ms === null) return '–';
  const text = new Date(ms).toLocaleString(currentLang() === 'id' ? 'id-ID' : 'en-GB', { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' });
  return `${text} ${ZONES[zone]?.label ?? zone}`;
}

/** `datetime-local` value of an instant at the site (its zone has no daylight saving). */
export function localInput(ms: number, zone: string): string {
  const [h, m] = (ZONES[zone]?.offset ?? '+07:00').slice(1).split(':').map(Number);
  return new Date(ms + (h * 60 + m) * 60_000).toISOString().slice(0, 16);
}

export function isoAt(local: string, zone: string): string {
  return `${local}:00${ZONES[zone]?.offset ?? '+07:00'}`;
}

const STATUS: Record<string, Key> = { scheduled: 'statusScheduled', open: 'statusOpen', running: 'statusRunning', closed: 'statusClosed' };
export function SittingStatus({ status }: { status: string }) {
  return <span class={`badge sitting-${status}`}>{STATUS[status] ? t(STATUS[status]) : status}</span>;
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

export function Banner({ kind, children }: { kind: 'error' | 'warning' | 'ok' | 'info'; children: ComponentChildren }) {
  return (
    <div class={`banner ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** A labelled form field: the label wraps the control, with a hint under it. */
export function Field({ label, hint, children, wide }: { label: string; hint?: ComponentChildren; children: ComponentChildren; wide?: boolean }) {
  return (
    <label class={`field ${wide ? 'wide' : ''}`}>
      <span class="label">{label}</span>
      {children}
      {hint && <span class="hint">{hint}</span>}
    </label>
  );
}

/** Loads data for a page; `reload` fetches it again (after a change). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    load().then(
      (d) => live && setData(d),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [...deps, round]);
  return { data, error, reload: useCallback(() => setRound((r) => r + 1), []) };
}

export function Loading({ error }: { error: string | null }) {
  return error ? <Banner kind="error">{error}</Banner> : <p class="muted">{t('loading')}</p>;
}

/** A modal dialog: focus moves into it, Escape closes it. */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, textarea, select, button')?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="card dialog" role="dialog" aria-modal="true" aria-label={title} ref={ref}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="muted empty">{children}</p>;
}

/** Sections of a template as "TWK 30, TIU 35, TKP 45". */
export function counts(sections: Record<string, number>): string {
  return Object.entries(sections)
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
}

export function randomPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(14));
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}
