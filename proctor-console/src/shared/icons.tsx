import type { JSX } from 'preact';

/**
 * Status icons drawn as SVG: characters such as ⏸ (U+23F8) and 🔒 show as empty boxes on a PC
 * without an emoji font, and a test-site PC seldom has one. Decorative: the label beside each
 * icon says the same in words.
 */
const PATHS: Record<string, JSX.Element> = {
  absent: <circle cx="8" cy="8" r="5.5" fill="none" stroke="currentColor" stroke-width="1.6" stroke-dasharray="2.2 1.8" />,
  waiting: (
    <>
      <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="1.6" />
      <path d="M8 4.5V8l2.6 1.6" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
    </>
  ),
  in_progress: <path d="M4.5 2.8v10.4L13 8z" fill="currentColor" />,
  admitted: (
    <>
      <circle cx="8" cy="8" r="6" fill="none" stroke="currentColor" stroke-width="1.6" />
      <path d="M6.5 5.2v5.6L11 8z" fill="currentColor" />
    </>
  ),
  disconnected: (
    <>
      <path d="M8 1.8 15 14H1z" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round" />
      <path d="M8 6v3.6" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" />
      <circle cx="8" cy="11.8" r="1" fill="currentColor" />
    </>
  ),
  paused: (
    <>
      <rect x="3.5" y="2.5" width="3" height="11" rx="0.8" fill="currentColor" />
      <rect x="9.5" y="2.5" width="3" height="11" rx="0.8" fill="currentColor" />
    </>
  ),
  finished: <path d="m2.5 8.5 3.6 3.6L13.5 4" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" />,
  terminated: <path d="m3.5 3.5 9 9m0-9-9 9" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" />,
  locked: (
    <>
      <rect x="2.8" y="7" width="10.4" height="7.5" rx="1.2" fill="currentColor" />
      <path d="M5 7V5.2a3 3 0 0 1 6 0V7" fill="none" stroke="currentColor" stroke-width="1.7" />
    </>
  ),
  alert: (
    <>
      <path d="M3.5 1.5v13" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" />
      <path d="M4 2h8.5l-2 3.2 2 3.3H4z" fill="currentColor" />
    </>
  ),
  person: (
    <>
      <circle cx="8" cy="5.3" r="3" fill="currentColor" />
      <path d="M2.5 15c0-3.2 2.5-5.4 5.5-5.4s5.5 2.2 5.5 5.4z" fill="currentColor" />
    </>
  ),
};

export function Icon({ name, class: cls }: { name: string; class?: string }) {
  const path = PATHS[name];
  if (!path) return null;
  return (
    <svg class={`icon ${cls ?? ''}`} viewBox="0 0 16 16" width="1em" height="1em" aria-hidden="true" focusable="false">
      {path}
    </svg>
  );
}
