import type { ComponentChildren } from 'preact';
import type { Chrome } from '../main';
import type { Connection } from '../session';

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
          <span class={`conn conn-${connection}`} role="status" aria-live="polite" title={t[connection]}>
            <span class="dot" aria-hidden="true" />
            <span class="conn-text">{connection === 'online' ? t.online : connection === 'offline' ? t.offline : t.connecting}</span>
          </span>
        )}
        <span class="font-tools" role="group" aria-label={t.fontSize}>
          <button type="button" class="tool" onClick={() => setScale(scale - 0.1)} aria-label={`${t.fontSize} -`}>
            A−
          </button>
          <button type="button" class="tool" onClick={() => setScale(scale + 0.1)} aria-label={`${t.fontSize} +`}>
            A+
          </button>
        </span>
        <button type="button" class="tool" onClick={() => setLang(lang === 'id' ? 'en' : 'id')} aria-label="Bahasa / Language">
          {lang === 'id' ? 'EN' : 'ID'}
        </button>
      </div>
    </header>
  );
}
