import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { STRINGS, type Lang, type Strings } from './i18n';
import { clearPc, ExamSession, storedSession, type View } from './session';
import { LoginScreen } from './screens/login';
import { ExamScreen } from './screens/exam';
import { ResultScreen } from './screens/result';
import { ConfirmScreen, MessageScreen } from './screens/waiting';
import './styles.css';

function useLang(): [Lang, (l: Lang) => void] {
  const [lang, setLang] = useState<Lang>((localStorage.getItem('kaca.lang') as Lang) || 'id');
  useEffect(() => {
    localStorage.setItem('kaca.lang', lang);
    document.documentElement.lang = lang;
  }, [lang]);
  return [lang, setLang];
}

function useFontScale(): [number, (n: number) => void] {
  const [scale, setScale] = useState(Number(localStorage.getItem('kaca.font')) || 1);
  useEffect(() => {
    localStorage.setItem('kaca.font', String(scale));
    document.documentElement.style.setProperty('--font-scale', String(scale));
    // large text gets a layout of its own (styles.css): the question keeps the room
    document.documentElement.classList.toggle('large-text', scale >= 1.3);
  }, [scale]);
  return [scale, (n) => setScale(Math.min(1.6, Math.max(0.85, Math.round(n * 100) / 100)))];
}

/**
 * A new screen (waiting, confirmation, exam, result) starts a screen reader and the keyboard at
 * its heading, not at the top of the page: focus moves there unless the screen put it somewhere
 * itself (the login's first field).
 */
function useScreenFocus(screen: string): void {
  useEffect(() => {
    const id = requestAnimationFrame(() => {
      const at = document.activeElement;
      if (at && at !== document.body && document.body.contains(at)) return;
      const heading = document.querySelector<HTMLElement>('main h1, main h2');
      if (!heading) return;
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(id);
  }, [screen]);
}

export interface Chrome {
  t: Strings;
  lang: Lang;
  setLang: (l: Lang) => void;
  scale: number;
  setScale: (n: number) => void;
}

function App() {
  const [lang, setLang] = useLang();
  const [scale, setScale] = useFontScale();
  const t = STRINGS[lang];
  const chrome: Chrome = { t, lang, setLang, scale, setScale };
  const [session, setSession] = useState<ExamSession | null>(() => {
    const s = storedSession();
    return s ? new ExamSession(s) : null;
  });
  const [view, setView] = useState<View | null>(null);
  useEffect(() => (session ? session.subscribe(setView) : undefined), [session]);

  /** Back to the login screen with nothing of this candidate left on the PC. */
  const logout = () => {
    session?.close();
    clearPc(session?.session ?? storedSession());
    setSession(null);
    setView(null);
    setLang('id');
    setScale(1);
  };

  // which screen is up: when it changes, focus goes to its heading (see useScreenFocus)
  const screen = !session ? 'login' : view?.revoked ? 'revoked' : !view?.state ? 'connecting' : view.result && (view.state.attempt.state === 'finished' || view.state.attempt.state === 'terminated') ? 'result' : `${view.state.attempt.state}:${view.state.sitting.status}`;
  useScreenFocus(screen);
  if (!session) return <LoginScreen chrome={chrome} onLoggedIn={(s) => setSession(new ExamSession(s))} />;
  if (view?.revoked) return <MessageScreen chrome={chrome} title={t.revoked} text={t.revokedText} action={{ label: t.backToLogin, run: logout }} />;
  if (!view || !view.state) return <MessageScreen chrome={chrome} title={t.connecting} text="" />;
  const st = view.state;
  if (view.result && (st.attempt.state === 'finished' || st.attempt.state === 'terminated')) return <ResultScreen chrome={chrome} view={view} onLogout={logout} />;
  // the sitting closed while the candidate was still waiting to be admitted: nothing more here
  if (st.attempt.state === 'waiting' && st.sitting.status === 'closed') return <MessageScreen chrome={chrome} title={t.errors.SITTING_CLOSED} text={t.closedWaitingText} view={view} action={{ label: t.backToLogin, run: logout }} />;
  if (st.attempt.state === 'waiting') return <MessageScreen chrome={chrome} title={t.waitingTitle} text={t.waitingText} view={view} />;
  if (st.attempt.state === 'admitted') return <ConfirmScreen chrome={chrome} view={view} session={session} />;
  return <ExamScreen chrome={chrome} view={view} session={session} />;
}

render(<App />, document.getElementById('app')!);
