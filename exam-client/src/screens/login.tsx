import { useState } from 'preact/hooks';
import type { Chrome } from '../main';
import { AckError } from '../../../server/src/contract/errors';
import { login } from '../session';
import { TopBar } from './chrome';

export function LoginScreen({ chrome, onLoggedIn }: { chrome: Chrome; onLoggedIn: (session: string) => void }) {
  const { t } = chrome;
  const [reg, setReg] = useState('');
  const [pin, setPin] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** refusals so far on this screen: each one is a new message, even when its text is the same */
  const [tries, setTries] = useState(0);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await login({ registrationNumber: reg.trim(), pin: pin.trim(), ...(token.trim() ? { token: token.trim() } : {}) });
      onLoggedIn(r.session);
    } catch (err) {
      const code = err instanceof AckError ? err.code : 'NETWORK';
      const left = err instanceof AckError ? (err.details as { attemptsLeft?: unknown } | undefined)?.attemptsLeft : undefined;
      // the last tries before the lock are counted out loud
      const warning = typeof left === 'number' && left <= 2 ? ` ${t.attemptsLeft(left)}` : '';
      setError((t.errors[code] ?? (err as Error).message) + warning);
      setTries((n) => n + 1);
      // a wrong PIN is typed again from an empty field, where the cursor already is
      if (code === 'INVALID_CREDENTIALS') {
        setPin('');
        document.querySelector<HTMLInputElement>('input[name=pin]')?.focus();
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page">
      <TopBar chrome={chrome} />
      <main class="center">
        <form class="card login" onSubmit={submit} aria-labelledby="login-title">
          <h1 id="login-title">{t.loginTitle}</h1>
          <label>
            {t.registrationNumber}
            <input name="registrationNumber" value={reg} onInput={(e) => setReg(e.currentTarget.value)} autoComplete="off" autoFocus required inputMode="numeric" />
          </label>
          <label>
            {t.pin}
            <input name="pin" type="password" value={pin} onInput={(e) => setPin(e.currentTarget.value)} autoComplete="off" required inputMode="numeric" />
          </label>
          <label>
            {t.token} <small>({t.tokenHint})</small>
            <input name="token" value={token} onInput={(e) => setToken(e.currentTarget.value.toUpperCase())} autoComplete="off" class="token-input" />
          </label>
          {error && (
            <p class="error" role="alert" data-try={tries}>
              {error}
            </p>
          )}
          <button type="submit" class="primary big" disabled={busy}>
            {busy ? t.loggingIn : t.login}
          </button>
        </form>
      </main>
    </div>
  );
}
