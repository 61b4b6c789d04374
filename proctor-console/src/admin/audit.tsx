import { useEffect, useState } from 'preact/hooks';
import type { AuditPage as Page } from '../../../server/src/contract/http';
import type { SittingInfo } from '../../../server/src/contract/proctor';
import { auditText } from '../proctor/labels';
import { api, type Session } from './api';
import { auditActions, auditDetails, entryAction, roleText } from './audit-details';
import { t } from './i18n';
import { Banner, Empty, errorText, Field, siteTime, useLoad } from './ui';

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
          <select name="action" value={action} onChange={(e) => setAction(e.currentTarget.value)}>
            <option value="">{t('allActions')}</option>
            {auditActions().map((a) => (
              <option key={a.code} value={a.code}>
                {a.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {error && <Banner kind="error">{error}</Banner>}
      <section class="card">
        {entries.length === 0 ? (
          <Empty>{t('noEntries')}</Empty>
        ) : (
          <table class="dense audit" data-testid="audit">
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
                    {e.actorRole === 'system' ? t('actorSystem') : e.actorName} {e.actorRole !== 'system' && <span class="muted">({roleText(e.actorRole)})</span>}
                  </td>
                  {/* the stored code for whoever reads the log by program: on hover, and in the export */}
                  <td data-action={e.action} title={e.action}>
                    {entryAction(e)}
                  </td>
                  <td class="mono">{e.sittingId ?? ''}</td>
                  <td>
                    {e.registrationNumber !== null && (
                      <>
                        <span class="mono">{e.registrationNumber}</span> {e.candidateName}
                      </>
                    )}
                  </td>
                  {/* an admin tool's fixed text and the system's own are no one's reason: the action and details say it */}
                  <td class="wrap">{auditText(e).reason ?? ''}</td>
                  <td class="wrap small" title={e.details === null || e.details === undefined ? undefined : JSON.stringify(e.details)}>
                    {auditDetails(e, (ms) => siteTime(ms, zone(e.sittingId))).map((d, i) => (
                      <span key={i} class="detail">
                        <span class="muted">{d.label}:</span> {d.text}
                      </span>
                    ))}
                  </td>
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
