import { useState } from 'preact/hooks';
import type { AccountListItem } from '../../../server/src/contract/http';
import type { SittingInfo } from '../../../server/src/contract/proctor';
import { api, type Session } from './api';
import { t } from './i18n';
import { Banner, Dialog, errorText, Field, Loading, randomPassword, useLoad } from './ui';

function NewAccount({ session, sittings, onCreated }: { session: Session; sittings: SittingInfo[]; onCreated: (msg: string) => void }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<'admin' | 'proctor'>('proctor');
  const [password, setPassword] = useState(randomPassword);
  const [assigned, setAssigned] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await api(session, 'POST', '/api/admin/accounts', { json: { username, displayName, role, password, sittings: role === 'proctor' ? assigned : [] } });
      onCreated(t('passwordOnce', { user: username, pw: password }));
      setUsername('');
      setDisplayName('');
      setPassword(randomPassword());
      setAssigned([]);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section class="card" aria-labelledby="new-account">
      <h2 id="new-account">{t('newAccount')}</h2>
      <form class="form-grid" onSubmit={submit}>
        <Field label={t('username')} hint="a-z 0-9 . _ -">
          <input name="username" required pattern="[a-z0-9._\-]{3,40}" value={username} onInput={(e) => setUsername(e.currentTarget.value.trim().toLowerCase())} autoComplete="off" />
        </Field>
        <Field label={t('displayName')}>
          <input name="displayName" required value={displayName} onInput={(e) => setDisplayName(e.currentTarget.value)} />
        </Field>
        <Field label={t('role')}>
          <select name="role" value={role} onChange={(e) => setRole(e.currentTarget.value as 'admin' | 'proctor')}>
            <option value="proctor">{t('roleProctor')}</option>
            <option value="admin">{t('roleAdmin')}</option>
          </select>
        </Field>
        <Field label={t('password')}>
          <span class="inline-inputs">
            <input name="password" required minLength={8} class="mono" value={password} onInput={(e) => setPassword(e.currentTarget.value)} autoComplete="new-password" />
            <button type="button" class="small" onClick={() => setPassword(randomPassword())}>
              {t('generate')}
            </button>
          </span>
        </Field>
        {role === 'proctor' && sittings.length > 0 && (
          <fieldset class="wide checks">
            <legend>{t('sittingsAssigned')}</legend>
            {sittings.map((s) => (
              <label class="check" key={s.id}>
                <input type="checkbox" checked={assigned.includes(s.id)} onChange={(e) => setAssigned(e.currentTarget.checked ? [...assigned, s.id] : assigned.filter((x) => x !== s.id))} />
                <span>
                  {s.name} <span class="mono muted">({s.id})</span>
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {error && (
          <div class="wide">
            <Banner kind="error">{error}</Banner>
          </div>
        )}
        <div class="buttons wide">
          <button type="submit" class="primary">
            {t('createAccount')}
          </button>
        </div>
      </form>
    </section>
  );
}

function PasswordDialog({ session, account, onClose, onDone }: { session: Session; account: AccountListItem; onClose: () => void; onDone: (msg: string) => void }) {
  const [password, setPassword] = useState(randomPassword);
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog title={`${t('newPassword')}: ${account.username}`} onClose={onClose}>
      <form
        class="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          try {
            await api(session, 'PATCH', `/api/admin/accounts/${account.id}`, { json: { password } });
            onDone(t('passwordOnce', { user: account.username, pw: password }));
          } catch (err) {
            setError(errorText(err));
          }
        }}
      >
        <Field label={t('newPassword')}>
          <input name="password" class="mono" required minLength={8} value={password} onInput={(e) => setPassword(e.currentTarget.value)} autoComplete="new-password" />
        </Field>
        {error && <Banner kind="error">{error}</Banner>}
        <div class="buttons end">
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" class="primary">
            {t('save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Accounts: admins and proctors, new passwords shown once, disabling, and the sittings of each proctor. */
export function AccountsPage({ session }: { session: Session }) {
  const accounts = useLoad(() => api<AccountListItem[]>(session, 'GET', '/api/admin/accounts'), []);
  const sittings = useLoad(() => api<SittingInfo[]>(session, 'GET', '/api/admin/sittings'), []);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [resetting, setResetting] = useState<AccountListItem | null>(null);
  const toggle = async (a: AccountListItem) => {
    try {
      await api(session, 'PATCH', `/api/admin/accounts/${a.id}`, { json: { disabled: !a.disabled } });
      // what was just done, in place of an earlier message (a password shown once is not shown again)
      setMessage({ kind: 'ok', text: t(a.disabled ? 'accountEnabled' : 'accountDisabled', { user: a.username }) });
      accounts.reload();
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    }
  };
  if (!accounts.data || !sittings.data) return <main class="page">{<Loading error={accounts.error ?? sittings.error} />}</main>;
  return (
    <main class="page" id="main" tabIndex={-1}>
      <h1>{t('accountsTitle')}</h1>
      {message && <Banner kind={message.kind}>{message.text}</Banner>}
      <section class="card">
        <table class="dense" data-testid="accounts">
          <thead>
            <tr>
              <th>{t('username')}</th>
              <th>{t('displayName')}</th>
              <th>{t('role')}</th>
              <th>{t('status')}</th>
              <th>{t('sittingsAssigned')}</th>
              <th>{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.data.map((a) => (
              <tr key={a.id} data-account={a.username}>
                <td class="mono">{a.username}</td>
                <td>{a.displayName}</td>
                <td>{a.role === 'admin' ? t('roleAdmin') : t('roleProctor')}</td>
                <td>{a.disabled ? <span class="badge">{t('disabled')}</span> : a.lockedUntil && a.lockedUntil > Date.now() ? <span class="badge">{t('locked')}</span> : t('enabled')}</td>
                <td>{a.role === 'admin' ? t('all') : a.sittings.join(', ') || '–'}</td>
                <td class="buttons">
                  <button type="button" class="small" onClick={() => setResetting(a)}>
                    {t('newPassword')}
                  </button>
                  {a.id !== session.account.id && (
                    <button type="button" class="small" onClick={() => void toggle(a)}>
                      {a.disabled ? t('enable') : t('disable')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <NewAccount
        session={session}
        sittings={sittings.data}
        onCreated={(text) => {
          setMessage({ kind: 'ok', text });
          accounts.reload();
        }}
      />
      {resetting && (
        <PasswordDialog
          session={session}
          account={resetting}
          onClose={() => setResetting(null)}
          onDone={(text) => {
            setResetting(null);
            setMessage({ kind: 'ok', text });
          }}
        />
      )}
    </main>
  );
}
