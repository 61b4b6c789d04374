import { useState } from 'preact/hooks';
import type { AccountListItem, SittingDetail } from '../../../server/src/contract/http';
import type { SittingInfo } from '../../../server/src/contract/proctor';
import { api, enc, type Session } from './api';
import { t } from './i18n';
import { RosterPanel } from './roster';
import { SittingForm } from './sitting-form';
import { Banner, Empty, errorText, Loading, SittingStatus, siteTime, useLoad } from './ui';

/** Sittings: every one, with its schedule at the site, its status and its settings at a glance. */
export function SittingsPage({ session }: { session: Session }) {
  const list = useLoad(() => api<SittingInfo[]>(session, 'GET', '/api/admin/sittings'), []);
  return (
    <main class="page" id="main" tabIndex={-1}>
      <div class="row-between">
        <h1>{t('sittingsTitle')}</h1>
        <a class="button primary" href="#/sittings/new">
          {t('newSitting')}
        </a>
      </div>
      <section class="card">
        {!list.data ? (
          <Loading error={list.error} />
        ) : list.data.length === 0 ? (
          <Empty>{t('noSittings')}</Empty>
        ) : (
          <table class="dense" data-testid="sittings">
            <thead>
              <tr>
                <th>{t('name')}</th>
                <th>{t('site')}</th>
                <th>{t('schedule')}</th>
                <th>{t('template')}</th>
                <th class="num">{t('candidates')}</th>
                <th>{t('token')}</th>
                <th>{t('requireAdmission')}</th>
                <th>{t('status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((s) => (
                <tr key={s.id}>
                  <td>
                    <a href={`#/sittings/${enc(s.id)}`}>{s.name}</a> <span class="muted mono">({s.id})</span>
                  </td>
                  <td>
                    {s.site} · {s.room}
                  </td>
                  <td>{siteTime(s.scheduledStart, s.timezone)}</td>
                  <td class="mono">
                    {s.templateId} / {s.bankId}
                  </td>
                  <td class="num">{s.candidates}</td>
                  <td>{s.requireToken ? t('yes') : t('no')}</td>
                  <td>{s.requireAdmission ? t('yes') : t('no')}</td>
                  <td>
                    <SittingStatus status={s.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}

export function NewSittingPage({ session }: { session: Session }) {
  return (
    <main class="page" id="main" tabIndex={-1}>
      <p>
        <a href="#/sittings">{t('back')}</a>
      </p>
      <h1>{t('newSitting')}</h1>
      <SittingForm session={session} sitting={null} onSaved={(s) => (location.hash = `#/sittings/${enc(s.id)}/roster`)} />
    </main>
  );
}

function ProctorsPanel({ session, sitting, onChanged }: { session: Session; sitting: SittingDetail; onChanged: (s: SittingDetail) => void }) {
  const accounts = useLoad(() => api<AccountListItem[]>(session, 'GET', '/api/admin/accounts'), []);
  const [pick, setPick] = useState('');
  const [error, setError] = useState<string | null>(null);
  const change = async (accountId: number, assign: boolean) => {
    setError(null);
    try {
      onChanged(await api<SittingDetail>(session, assign ? 'PUT' : 'DELETE', `/api/admin/sittings/${enc(sitting.id)}/proctors/${accountId}`));
      setPick('');
    } catch (e) {
      setError(errorText(e));
    }
  };
  const free = (accounts.data ?? []).filter((a) => a.role === 'proctor' && !a.disabled && !sitting.proctors.some((p) => p.id === a.id));
  return (
    <section class="card" aria-labelledby="proctors-title">
      <h2 id="proctors-title">{t('proctors')}</h2>
      {sitting.proctors.length === 0 ? (
        <Empty>{t('noProctors')}</Empty>
      ) : (
        <ul class="plain" data-testid="proctors">
          {sitting.proctors.map((p) => (
            <li key={p.id}>
              <span>
                {p.displayName} <span class="mono muted">({p.username})</span> {p.disabled && <span class="badge">{t('disabled')}</span>}
              </span>
              <button type="button" class="small" onClick={() => void change(p.id, false)}>
                {t('unassign')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="inline-inputs"
        onSubmit={(e) => {
          e.preventDefault();
          if (pick) void change(Number(pick), true);
        }}
      >
        <select name="proctor" aria-label={t('chooseProctor')} value={pick} onChange={(e) => setPick(e.currentTarget.value)}>
          <option value="">{t('chooseProctor')}</option>
          {free.map((a) => (
            <option key={a.id} value={a.id}>
              {a.displayName} ({a.username})
            </option>
          ))}
        </select>
        <button type="submit" disabled={!pick}>
          {t('assign')}
        </button>
      </form>
      {error && <Banner kind="error">{error}</Banner>}
    </section>
  );
}

/** One sitting: its settings (while scheduled), proctors, roster and cards, and where its results are. */
export function SittingPage({ session, sittingId, tab }: { session: Session; sittingId: string; tab: string }) {
  const detail = useLoad(() => api<SittingDetail>(session, 'GET', `/api/admin/sittings/${enc(sittingId)}`), [sittingId]);
  const [fresh, setFresh] = useState<SittingDetail | null>(null);
  const s = fresh && fresh.id === sittingId ? fresh : detail.data;
  if (!s) return <main class="page">{<Loading error={detail.error} />}</main>;
  const base = `#/sittings/${enc(s.id)}`;
  const tabs: [string, string][] = [
    ['settings', t('settings')],
    ['proctors', `${t('proctors')} (${s.proctors.length})`],
    ['roster', `${t('roster')} (${s.candidates})`],
  ];
  const current = tabs.some(([k]) => k === tab) ? tab : 'settings';
  return (
    <main class="page" id="main" tabIndex={-1}>
      <p>
        <a href="#/sittings">{t('back')}</a>
      </p>
      <div class="row-between">
        <h1>
          {s.name} <span class="mono muted">({s.id})</span> <SittingStatus status={s.status} />
        </h1>
        <span class="buttons">
          <a class="button" href={`${base}/results`}>
            {t('results')}
          </a>
          <a class="button" href={`#/audit?sitting=${enc(s.id)}`}>
            {t('navAudit')}
          </a>
          <a class="button" href={`#/analysis?sitting=${enc(s.id)}`}>
            {t('navAnalysis')}
          </a>
          <a class="button" href={`/proctor/#/sitting/${enc(s.id)}/report`}>
            {t('incidentReport')}
          </a>
          {s.status === 'closed' && (
            <a class="button" href={`/api/sittings/${enc(s.id)}/export`} download data-testid="public-export">
              {t('publicExport')}
            </a>
          )}
        </span>
      </div>
      <p class="muted">
        {s.site} · {s.room} · {siteTime(s.scheduledStart, s.timezone)} · {s.templateId} / {s.bankId} · {s.durationMinutes} {t('minutes')}
      </p>
      <nav class="tabs no-print" aria-label={s.name}>
        {tabs.map(([k, label]) => (
          <a key={k} href={`${base}/${k}`} class={k === current ? 'on' : ''} aria-current={k === current ? 'page' : undefined}>
            {label}
          </a>
        ))}
      </nav>
      {current === 'settings' && <SittingForm key={`${s.id}-${s.status}`} session={session} sitting={s} onSaved={setFresh} />}
      {current === 'proctors' && <ProctorsPanel session={session} sitting={s} onChanged={setFresh} />}
      {current === 'roster' && (
        <RosterPanel
          session={session}
          sitting={s}
          onChanged={() => {
            setFresh(null);
            detail.reload();
          }}
        />
      )}
    </main>
  );
}
