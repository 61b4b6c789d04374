import { useState } from 'preact/hooks';
import type { SittingResultsOut } from '../../../server/src/contract/http';
import { api, download, enc, type Session } from './api';
import { attemptStatusText, t } from './i18n';
import { Banner, Empty, errorText, Loading, useLoad } from './ui';

/** Results per formation: ranked passers, the next-stage cut-off, everyone else below; and the CSV. */
export function ResultsPage({ session, sittingId }: { session: Session; sittingId: string }) {
  const results = useLoad(() => api<SittingResultsOut>(session, 'GET', `/api/admin/sittings/${enc(sittingId)}/results`), [sittingId]);
  const [error, setError] = useState<string | null>(null);
  return (
    <main class="page results" id="main" tabIndex={-1}>
      <p class="no-print">
        <a href={`#/sittings/${enc(sittingId)}`}>{t('back')}</a>
      </p>
      <div class="row-between">
        <h1>{t('resultsTitle', { id: sittingId })}</h1>
        <button type="button" class="primary no-print" onClick={() => download(session, `/api/admin/sittings/${enc(sittingId)}/results?format=csv`, `hasil-${sittingId}.csv`).catch((e) => setError(errorText(e)))}>
          {t('downloadCsv')}
        </button>
      </div>
      {error && <Banner kind="error">{error}</Banner>}
      {!results.data ? (
        <Loading error={results.error} />
      ) : results.data.formations.length === 0 ? (
        <Empty>{t('noResults')}</Empty>
      ) : (
        results.data.formations.map((f) => (
          <section class="card" key={f.formation} aria-label={f.formation}>
            <h2>
              {f.formation} <span class="muted small">· {t('quota', { v: f.vacancies, q: f.quota })}</span>
            </h2>
            <table class="dense">
              <thead>
                <tr>
                  <th class="num">{t('rank')}</th>
                  <th>{t('registrationNumber')}</th>
                  <th>{t('name')}</th>
                  <th>{t('group')}</th>
                  {results.data!.sections.map((s) => (
                    <th class="num" key={s}>
                      {s}
                    </th>
                  ))}
                  <th class="num">{t('total')}</th>
                  <th>{t('passed')}</th>
                  <th>{t('nextStage')}</th>
                  <th>{t('status')}</th>
                </tr>
              </thead>
              <tbody>
                {f.lines.map((l, i) => (
                  <tr key={l.id} class={`${l.advances ? 'advances' : ''} ${l.advances && !f.lines[i + 1]?.advances ? 'cutoff' : ''}`}>
                    <td class="num">{l.rank ?? '–'}</td>
                    <td class="mono">{l.registrationNumber}</td>
                    <td>{l.name}</td>
                    <td>{l.group}</td>
                    {results.data!.sections.map((s) => (
                      <td class="num" key={s}>
                        {l.passed === null ? '–' : (l.sections[s] ?? 0)}
                      </td>
                    ))}
                    <td class="num strong">{l.passed === null ? '–' : l.total}</td>
                    <td data-field="verdict">{l.passed === null ? '–' : l.passed ? t('meets') : t('fails')}</td>
                    <td>{l.advances ? t('advances') : ''}</td>
                    <td>{attemptStatusText(l.status, results.data!.sittingStatus)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))
      )}
    </main>
  );
}
