import { useEffect, useState } from 'preact/hooks';
import type { AuditPage as Page } from '../../../server/src/contract/http';
import type { SittingInfo } from '../../../server/src/contract/proctor';
import { actionLabel } from '../proctor/labels';
import { api, type Session } from './api';
import { t } from './i18n';
import { Banner, Empty, errorText, Field, siteTime, useLoad } from './ui';

const detailText = (d: unknown) => (d === null || d === undefined ? '' : JSON.stringify(d));

/** The audit log, newest first, a page at a time; by sitting and by action. */
export function AuditPage({ session, sittingId }: { session: Session; sittingId: string }) {
  const sittings = useLoad(() => api<SittingInfo[]>(session, 'GET', '/api/admin/sittings'), []);
  const [sitting, setSitting] = useState(sittingId);
  const [action, setAction] = useState('');
  const [entries, setEntries] = useState<Page['entries']>([]);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = async (before: number | null) => {
    try {
      const q = new URLSearchParams({ limit: '100', ...(sitting ? { sittingId: sitting } : {}), ...(action ? { action } : {}), ...(before ? { before: String(before) } : {}) });
      const page = await api<Page>(session, 'GET', `/api/admin/audit?${q}`);
      setEntries((old) => (before ? [...old, ...page.entries] : page.entries));
      setNext(page.next);
    } catch (e) {
      setError(errorText(e));
    }
  };
  useEffect(() => {
    void load(null);
  }, [sitting, action]);
  const zone = (id: string | null) => sittings.data?.find((s) => s.id === id)?.timezone;
  return (
    <main class="page" id="main" tabIndex={-1}>
      <h1>{t('auditTitle')}</h1>
      <div class="toolbar card">
        <Field label={t('sitting')}>
          <select name="sitting" value={sitting} onChange={(e) => setSitting(e.currentTarget.value)}>
            <option value="">{t('allSittings')}</option>
            {sittings.data?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.id})
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('action')}>
          <input name="action" value={action} placeholder="bank-import, sitting-update, …" onChange={(e) => setAction(e.currentTarget.value.trim())} />
        </Field>
      </div>
      {error && <Banner kind="error">{error}</Banner>}
      <section class="card">
        {entries.length === 0 ? (
          <Empty>{t('noEntries')}</Empty>
        ) : (
          <table class="dense" data-testid="audit">
            <thead>
              <tr>
                <th>{t('time')}</th>
                <th>{t('actor')}</th>
                <th>{t('action')}</th>
                <th>{t('sitting')}</th>
                <th>{t('candidate')}</th>
                <th>{t('reason')}</th>
                <th>{t('details')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{siteTime(e.at, zone(e.sittingId))}</td>
                  <td>
                    {e.actorName} <span class="muted">({e.actorRole})</span>
                  </td>
                  <td>
                    {actionLabel(e.action)} <span class="mono muted small">{e.action}</span>
                  </td>
                  <td class="mono">{e.sittingId ?? ''}</td>
                  <td>
                    {e.registrationNumber !== null && (
                      <>
                        <span class="mono">{e.registrationNumber}</span> {e.candidateName}
                      </>
                    )}
                  </td>
                  <td class="wrap">{e.reason}</td>
                  <td class="wrap mono small">{detailText(e.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {next && (
          <button type="button" onClick={() => void load(next)}>
            {t('loadMore')}
          </button>
        )}
      </section>
    </main>
  );
}
