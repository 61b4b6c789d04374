import type { TemplateListItem } from '../../../server/src/contract/http';
import { api, enc, type Session } from './api';
import { t } from './i18n';
import { Loading, useLoad } from './ui';

const scoringText = (s: TemplateListItem['template']['sections'][number]) =>
  s.scoring.kind === 'keyed' ? `${t('keyed')}: ${s.scoring.correct}/${s.scoring.wrong}/${s.scoring.blank}` : `${t('weighted')}${s.scoring.weightSet ? ` {${s.scoring.weightSet.join(', ')}}` : ''}`;

/** Templates: what each one deals and how it judges, built-in and used ones marked; edit, copy, create. */
export function TemplatesPage({ session }: { session: Session }) {
  const list = useLoad(() => api<TemplateListItem[]>(session, 'GET', '/api/admin/templates'), []);
  return (
    <main class="page" id="main" tabIndex={-1}>
      <div class="row-between">
        <h1>{t('templatesTitle')}</h1>
        <a class="button primary" href="#/templates/new">
          {t('newTemplate')}
        </a>
      </div>
      {!list.data ? (
        <Loading error={list.error} />
      ) : (
        list.data.map(({ template: x, builtIn, usedBy }) => (
          <section class="card template" key={x.id} data-template={x.id} aria-labelledby={`tpl-${x.id}`}>
            <div class="row-between">
              <h2 id={`tpl-${x.id}`}>
                {x.name} <span class="mono muted">({x.id})</span> {builtIn && <span class="badge">{t('builtIn')}</span>}
              </h2>
              <span class="buttons">
                {!builtIn && usedBy.length === 0 && (
                  <a class="button small" href={`#/templates/${enc(x.id)}/edit`}>
                    {t('edit')}
                  </a>
                )}
                <a class="button small" href={`#/templates/new?from=${enc(x.id)}`}>
                  {t('copy')}
                </a>
              </span>
            </div>
            <p class="muted">
              {t('duration')}: {x.durationMinutes} {t('minutes')} · {t('usedBy')}: {usedBy.join(', ') || '–'} · {t('tieBreak')}: {x.tieBreak.join(', ') || '–'} · {t('nextStageMultiple')}: {x.nextStageMultiplier}×
            </p>
            <div class="two-col">
              <table class="dense">
                <caption>{t('sections')}</caption>
                <thead>
                  <tr>
                    <th>ID</th>
                    <th>{t('sectionTitle')}</th>
                    <th class="num">{t('questionCount')}</th>
                    <th class="num">{t('optionCount')}</th>
                    <th>{t('scoring')}</th>
                  </tr>
                </thead>
                <tbody>
                  {x.sections.map((s) => (
                    <tr key={s.id}>
                      <td class="mono">{s.id}</td>
                      <td>{s.title}</td>
                      <td class="num">{s.questionCount}</td>
                      <td class="num">{s.optionCount ?? t('optionCountAny')}</td>
                      <td>{scoringText(s)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <table class="dense">
                <caption>{t('thresholdSets')}</caption>
                <thead>
                  <tr>
                    <th>ID</th>
                    <th>{t('setName')}</th>
                    <th>{t('minimum', { s: '' })}</th>
                    <th>{t('groups')}</th>
                  </tr>
                </thead>
                <tbody>
                  {x.thresholdSets.map((set) => (
                    <tr key={set.id}>
                      <td class="mono">
                        {set.id} {set.id === x.defaultThresholdSet && <span class="badge">{t('defaultBadge')}</span>}
                      </td>
                      <td class="wrap">{set.name}</td>
                      <td>{[...Object.entries(set.sectionMinimums).map(([k, v]) => `${k} ≥ ${v}`), ...(set.totalMinimum !== undefined ? [`${t('total')} ≥ ${set.totalMinimum}`] : [])].join(', ')}</td>
                      <td class="wrap">
                        {Object.entries(x.groups)
                          .filter(([, v]) => v === set.id)
                          .map(([g]) => g)
                          .join(', ') || '–'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        ))
      )}
    </main>
  );
}
