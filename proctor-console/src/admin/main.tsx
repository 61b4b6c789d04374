import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, login, logout, storedSession, whenSessionEnds, type Session } from './api';
import { AccountsPage } from './accounts';
import { AnalysisPage } from './analysis';
import { AuditPage } from './audit';
import { BankBrowser } from './bank-browser';
import { BanksPage } from './banks';
import { currentLang, setLang, t, type Key } from './i18n';
import { ResultsPage } from './results';
import { NewSittingPage, SittingPage, SittingsPage } from './sittings';
import { TemplateEditor } from './template-editor';
import { TemplatesPage } from './templates';
import { Banner, errorText } from './ui';
import '../shared/base.css';
import './admin.css';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function Login({ onIn, notAdmin }: { onIn: (s: Session) => void; notAdmin: boolean }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onIn(await login(username.trim(), password));
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'INVALID_CREDENTIALS' ? t('wrongLogin') : errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="center" id="main">
      <form class="card login" onSubmit={submit}>
        <h1>{t('title')}</h1>
        {notAdmin && (
          <Banner kind="warning">
            {t('adminOnly')} <a href="/proctor/">{t('toProctor')}</a>
          </Banner>
        )}
        <label>
          {t('username')}
          <input name="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} autoFocus required autoComplete="username" />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required autoComplete="current-password" />
        </label>
        {error && <Banner kind="error">{error}</Banner>}
        <button class="primary" type="submit" disabled={busy}>
          {t('login')}
        </button>
        <LangSwitch />
      </form>
    </main>
  );
}

let rerender: () => void = () => undefined;

function LangSwitch() {
  return (
    <span class="lang" role="group" aria-label={t('language')}>
      {(['id', 'en'] as const).map((l) => (
        <button
          key={l}
          type="button"
          class={`small ${currentLang() === l ? 'on' : ''}`}
          aria-pressed={currentLang() === l}
          onClick={() => {
            setLang(l);
            rerender();
          }}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </span>
  );
}

const NAV: [string, Key][] = [
  ['banks', 'navBanks'],
  ['templates', 'navTemplates'],
  ['sittings', 'navSittings'],
  ['analysis', 'navAnalysis'],
  ['accounts', 'navAccounts'],
  ['audit', 'navAudit'],
];

function Page({ session, hash }: { session: Session; hash: string }) {
  const [path, query] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query ?? '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [area, id, sub] = parts;
  if (area === 'banks' && id) return <BankBrowser session={session} bankId={id} />;
  if (area === 'templates' && id === 'new') return <TemplateEditor session={session} editId={null} fromId={params.get('from')} />;
  if (area === 'templates' && id && sub === 'edit') return <TemplateEditor session={session} editId={id} fromId={null} />;
  if (area === 'templates') return <TemplatesPage session={session} />;
  if (area === 'sittings' && id === 'new') return <NewSittingPage session={session} />;
  if (area === 'sittings' && id && sub === 'results') return <ResultsPage session={session} sittingId={id} />;
  if (area === 'sittings' && id) return <SittingPage session={session} sittingId={id} tab={sub ?? 'settings'} />;
  if (area === 'sittings') return <SittingsPage session={session} />;
  if (area === 'analysis') return <AnalysisPage session={session} bankId={params.get('bank') ?? ''} sittingId={params.get('sitting') ?? ''} />;
  if (area === 'accounts') return <AccountsPage session={session} />;
  if (area === 'audit') return <AuditPage session={session} sittingId={params.get('sitting') ?? ''} />;
  return <BanksPage session={session} />;
}

function App() {
  const [session, setSession] = useState<Session | null>(storedSession);
  const [, setRound] = useState(0);
  rerender = () => setRound((r) => r + 1);
  const hash = useHash();
  useEffect(() => {
    document.documentElement.lang = currentLang();
    document.title = `Kaca - ${t('title')}`;
    whenSessionEnds(() => setSession(null));
  });
  if (!session || session.account.role !== 'admin') return <Login onIn={setSession} notAdmin={!!session && session.account.role !== 'admin'} />;
  const area = hash.replace(/^#\/?/, '').split(/[/?]/)[0] || 'banks';
  return (
    <div class="app admin">
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t('skip')}
      </a>
      <header class="topbar no-print">
        <a class="brand" href="#/banks">
          {t('brand')}
        </a>
        <nav class="main-nav" aria-label={t('title')}>
          {NAV.map(([k, label]) => (
            <a key={k} href={`#/${k}`} class={area === k ? 'on' : ''} aria-current={area === k ? 'page' : undefined}>
              {t(label)}
            </a>
          ))}
        </nav>
        <span class="spacer" />
        <LangSwitch />
        <span class="who">{session.account.displayName}</span>
        <button
          type="button"
          class="ghost"
          onClick={() =>
            void logout(session).finally(() => {
              setSession(null);
              location.hash = '';
            })
          }
        >
          {t('logout')}
        </button>
      </header>
      <Page session={session} hash={hash} />
    </div>
  );
}

render(<App />, document.getElementById('app')!);
