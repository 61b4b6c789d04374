import { useState } from 'preact/hooks';
import type { RosterCheckOut, RosterEntry, RosterImportResult, SittingDetail } from '../../../server/src/contract/http';
import { api, ApiError, enc, type Session } from './api';
import { Cards } from './cards';
import { attemptStatusText, currentLang, t } from './i18n';
import { rosterProblemId } from './roster-words';
import { Banner, Empty, errorText, Field, Loading, useLoad } from './ui';

/** The check's findings in the console's language (the server's are English). */
const said = (message: string) => (currentLang() === 'id' ? rosterProblemId(message) : message);

function RosterPreview({ check }: { check: RosterCheckOut }) {
  return (
    <div class="preview" data-testid="roster-preview">
      {check.problems.map((p) => (
        <Banner kind="error" key={p}>
          {said(p)}
        </Banner>
      ))}
      {check.rows.length > 0 && (
        <>
          <p>
            {t('rosterChecked', { valid: check.valid, invalid: check.invalid })}
            {check.ignored.length > 0 && <span class="muted"> · {t('ignoredColumns', { cols: check.ignored.join(', ') })}</span>}
          </p>
          <div class="scroll-y">
            <table class="dense">
              <thead>
                <tr>
                  <th class="num">{t('line')}</th>
                  <th>{t('registrationNumber')}</th>
                  <th>{t('name')}</th>
                  <th>{t('formation')}</th>
                  <th>{t('group')}</th>
                  <th>{t('thresholdSet')}</th>
                  <th>{t('seat')}</th>
                  <th class="num">{t('extraMinutes')}</th>
                  <th>{t('photo')}</th>
                  <th>{t('problems')}</th>
                </tr>
              </thead>
              <tbody>
                {/* rows with problems first, in file order: a long roster's one bad row is not at the bottom of the box */}
                {[...check.rows.filter((r) => r.errors.length), ...check.rows.filter((r) => !r.errors.length)].map((r) => (
                  <tr key={r.line} class={r.errors.length ? 'row-error' : ''}>
                    <td class="num">{r.line}</td>
                    <td class="mono">{r.registrationNumber}</td>
                    <td>{r.name}</td>
                    <td>{r.formation}</td>
                    <td>{r.group}</td>
                    <td>{r.thresholdSet ?? '–'}</td>
                    <td>{r.seat ?? ''}</td>
                    <td class="num">{r.extraMinutes || ''}</td>
                    <td>{r.photoUrl ? '✓' : ''}</td>
                    <td class="wrap">
                      {r.errors.length > 0 && (
                        <ul class="row-problems">
                          {r.errors.map((e) => (
                            <li key={e}>{said(e)}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}

/** The roster: what is on it, a CSV checked row by row before it is imported, and the cards with PINs once. */
export function RosterPanel({ session, sitting, onChanged }: { session: Session; sitting: SittingDetail; onChanged: () => void }) {
  const roster = useLoad(() => api<RosterEntry[]>(session, 'GET', `/api/admin/sittings/${enc(sitting.id)}/candidates`), [sitting.id]);
  const [text, setText] = useState('');
  const [check, setCheck] = useState<RosterCheckOut | null>(null);
  const [issued, setIssued] = useState<RosterImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const path = `/api/admin/sittings/${enc(sitting.id)}/candidates`;

  const run = async (importing: boolean) => {
    setBusy(true);
    setError(null);
    try {
      if (!importing) setCheck(await api<RosterCheckOut>(session, 'POST', `${path}/check`, { raw: text, type: 'text/csv' }));
      else {
        setIssued(await api<RosterImportResult>(session, 'POST', path, { raw: text, type: 'text/csv' }));
        setCheck(null);
        setText('');
        roster.reload();
        onChanged();
      }
    } catch (e) {
      if (e instanceof ApiError && e.details && typeof e.details === 'object' && 'rows' in e.details) setCheck(e.details as RosterCheckOut);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (issued) return <Cards sitting={sitting} issued={issued} onDone={() => setIssued(null)} />;
  const ready = check !== null && check.problems.length === 0 && check.invalid === 0 && check.rows.length > 0;
  return (
    <div class="stack">
      {sitting.status !== 'closed' && (
        <section class="card" aria-labelledby="roster-upload">
          <h2 id="roster-upload">{t('rosterUpload')}</h2>
          <p class="muted">{t('rosterHelp', { groups: sitting.groups.map((g) => g.group).join(', ') })}</p>
          <div class="form-grid">
            <Field label={t('file')}>
              <input
                type="file"
                name="roster"
                accept=".csv,text/csv"
                onChange={async (e) => {
                  const file = e.currentTarget.files?.[0];
                  if (file) {
                    setText(await file.text());
                    setCheck(null);
                  }
                }}
              />
            </Field>
            <Field label={t('pasteCsv')} wide>
              <textarea
                name="csv"
                rows={6}
                class="mono"
                value={text}
                onInput={(e) => {
                  setText(e.currentTarget.value);
                  setCheck(null);
                }}
              />
            </Field>
          </div>
          <div class="buttons">
            <button type="button" disabled={busy || !text.trim()} onClick={() => void run(false)}>
              {t('check')}
            </button>
            <button type="button" class="primary" disabled={busy || !ready} onClick={() => void run(true)}>
              {t('importRoster', { n: check?.valid ?? 0 })}
            </button>
          </div>
          {error && <Banner kind="error">{error}</Banner>}
          {check && !ready && check.rows.length > 0 && <Banner kind="warning">{t('rosterHasErrors')}</Banner>}
          {check && <RosterPreview check={check} />}
        </section>
      )}
      <section class="card" aria-labelledby="roster-list">
        <h2 id="roster-list">
          {t('roster')} ({roster.data?.length ?? '…'})
        </h2>
        {!roster.data ? (
          <Loading error={roster.error} />
        ) : roster.data.length === 0 ? (
          <Empty>{t('rosterEmpty')}</Empty>
        ) : (
          <div class="scroll-y tall">
            <table class="dense" data-testid="roster">
              <thead>
                <tr>
                  <th>{t('registrationNumber')}</th>
                  <th>{t('name')}</th>
                  <th>{t('formation')}</th>
                  <th>{t('group')}</th>
                  <th>{t('seat')}</th>
                  <th class="num">{t('extraMinutes')}</th>
                  <th>{t('status')}</th>
                </tr>
              </thead>
              <tbody>
                {roster.data.map((c) => (
                  <tr key={c.id}>
                    <td class="mono">{c.registrationNumber}</td>
                    <td>{c.name}</td>
                    <td>{c.formation}</td>
                    <td>{c.group}</td>
                    <td>{c.seat ?? ''}</td>
                    <td class="num">{c.extraMinutes || ''}</td>
                    <td>{attemptStatusText(c.status, sitting.status)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
