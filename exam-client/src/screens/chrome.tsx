import type { ComponentChildren } from 'preact';
import type { Chrome } from '../main';
import type { Connection } from '../session';

/**
 * The bar on every screen. Each tool's accessible name starts with the text it shows ("A−",
 * "EN"), so a voice-control user can say what they see (WCAG 2.5.3); the rest is for screen readers.
 */
export function TopBar({ chrome, children, connection }: { chrome: Chrome; children?: ComponentChildren; connection?: Connection }) {
  const { t, lang, setLang, scale, setScale } = chrome;
  return (
    <header class="topbar">
      <div class="brand">
        <span class="logo" aria-hidden="true">◇</span> Kaca · {t.title}
      </div>
      <div class="topbar-main">{children}</div>
      <div class="topbar-tools">
        {connection && (
          <span class={`conn conn-${connection}`} role="status" aria-live="polite">
            <span class="dot" aria-hidden="true" />
            <span class="conn-text">{connection === 'online' ? t.online : connection === 'offline' ? t.offline : t.connecting}</span>
          </span>
        )}
        <span class="font-tools" role="group" aria-label={t.fontSize}>
          <button type="button" class="tool" onClick={() => setScale(scale - 0.1)}>
            A−<span class="sr-only"> {t.fontSmaller}</span>
          </button>
          <button type="button" class="tool" onClick={() => setScale(scale + 0.1)}>
            A+<span class="sr-only"> {t.fontLarger}</span>
          </button>
        </span>
        <button type="button" class="tool" onClick={() => setLang(lang === 'id' ? 'en' : 'id')}>
          {lang === 'id' ? 'EN' : 'ID'}
          <span class="sr-only" lang={t.otherLanguageCode}>
            {' '}
            {t.otherLanguage}
          </span>
        </button>
      </div>
    </header>
  );
}

/** A pause sign drawn, not a character: U+23F8 shows as an empty box on PCs without an emoji font. */
export function PauseIcon() {
  return (
    <svg class="icon" viewBox="0 0 16 16" width="1em" height="1em" aria-hidden="true" focusable="false">
      <rect x="3" y="2" width="3.5" height="12" rx="1" fill="currentColor" />
      <rect x="9.5" y="2" width="3.5" height="12" rx="1" fill="currentColor" />
    </svg>
  );
}
