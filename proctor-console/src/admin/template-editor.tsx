import { useEffect, useState } from 'preact/hooks';
import type { ExamTemplate } from '../../../server/src/contract/exam';
import type { TemplateListItem } from '../../../server/src/contract/http';
import { api, ApiError, enc, type Session } from './api';
import { t } from './i18n';
import { Banner, errorText, Field, Loading } from './ui';

type Section = ExamTemplate['sections'][number];
type Draft = Omit<ExamTemplate, 'groups'> & { groups: [string, string][] };

const BLANK: Draft = {
  id: '',
  name: '',
  durationMinutes: 100,
  sections: [{ id: 'A', title: '', questionCount: 10, optionCount: 5, scoring: { kind: 'keyed', correct: 5, wrong: 0, blank: 0 } }],
  thresholdSets: [{ id: 'umum', name: 'Umum', sectionMinimums: {} }],
  groups: [['umum', 'umum']],
  defaultThresholdSet: 'umum',
  tieBreak: [],
  nextStageMultiplier: 3,
  integration: { firstStageWeight: 0.4, secondStageWeight: 0.6 },
};

const num = (v: string): number | undefined => (v.trim() === '' ? undefined : Number(v));
const toDraft = (x: ExamTemplate): Draft => ({ ...structuredClone(x), groups: Object.entries(x.groups) });
const fromDraft = (d: Draft): ExamTemplate => ({ ...d, groups: Object.fromEntries(d.groups.filter(([g]) => g.trim() !== '')) });

/** Creates a template, or edits one no sitting uses, by form: sections, scoring, threshold sets and groups. */
export function TemplateEditor({ session, editId, fromId }: { session: Session; editId: string | null; fromId: string | null }) {
  const [draft, setDraft] = useState<Draft | null>(editId || fromId ? null : BLANK);
  const [error, setError] = useState<{ text: string; issues: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const source = editId ?? fromId;
    if (!source) return;
    api<TemplateListItem>(session, 'GET', `/api/admin/templates/${enc(source)}`).then(
      (x) => setDraft(editId ? toDraft(x.template) : { ...toDraft(x.template), id: `${x.template.id}-salinan`, name: `${x.template.name} (salinan)` }),
      (e) => setError({ text: errorText(e), issues: [] }),
    );
  }, [editId, fromId]);
  if (!draft) return <main class="page">{error ? <Banner kind="error">{error.text}</Banner> : <Loading error={null} />}</main>;

  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const setSection = (i: number, patch: Partial<Section>) => set({ sections: draft.sections.map((s, k) => (k === i ? ({ ...s, ...patch } as Section) : s)) });
  const setScoring = (i: number, patch: Record<string, unknown>) => setSection(i, { scoring: { ...draft.sections[i].scoring, ...patch } as Section['scoring'] });
  const setThreshold = (i: number, patch: Partial<Draft['thresholdSets'][number]>) => set({ thresholdSets: draft.thresholdSets.map((s, k) => (k === i ? { ...s, ...patch } : s)) });
  const setMinimum = (i: number, section: string, v: string) => {
    const mins = { ...draft.thresholdSets[i].sectionMinimums };
    const n = num(v);
    if (n === undefined) delete mins[section];
    else mins[section] = n;
    setThreshold(i, { sectionMinimums: mins });
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = fromDraft(draft);
      if (editId) await api(session, 'PUT', `/api/admin/templates/${enc(editId)}`, { json: body });
      else await api(session, 'POST', '/api/admin/templates', { json: body });
      location.hash = '#/templates';
    } catch (err) {
      const issues = err instanceof ApiError && Array.isArray(err.details) ? (err.details as { path: string[]; message: string }[]).map((i) => `${i.path.join('.')}: ${i.message}`) : [];
      setError({ text: err instanceof ApiError && issues.length ? t('templateInvalid') : errorText(err), issues });
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="page" id="main" tabIndex={-1}>
      <p>
        <a href="#/templates">{t('back')}</a>
      </p>
      <h1>{editId ? `${t('edit')}: ${editId}` : t('newTemplate')}</h1>
      <form class="stack" onSubmit={save}>
        <section class="card form-grid">
          <Field label={t('templateId')}>
            <input name="id" required disabled={!!editId} value={draft.id} onInput={(e) => set({ id: e.currentTarget.value.trim() })} />
          </Field>
          <Field label={t('name')}>
            <input name="name" required value={draft.name} onInput={(e) => set({ name: e.currentTarget.value })} />
          </Field>
          <Field label={t('durationMinutes')}>
            <input name="durationMinutes" type="number" min={1} required value={draft.durationMinutes} onInput={(e) => set({ durationMinutes: Number(e.currentTarget.value) })} />
          </Field>
          <Field label={t('nextStageMultiple')}>
            <input name="nextStageMultiplier" type="number" min={0.1} step={0.1} value={draft.nextStageMultiplier} onInput={(e) => set({ nextStageMultiplier: Number(e.currentTarget.value) })} />
          </Field>
          <Field label={t('stageWeights')}>
            <span class="inline-inputs">
              <input aria-label="SKD" type="number" min={0} max={1} step={0.05} value={draft.integration.firstStageWeight} onInput={(e) => set({ integration: { ...draft.integration, firstStageWeight: Number(e.currentTarget.value) } })} />
              <input aria-label="SKB" type="number" min={0} max={1} step={0.05} value={draft.integration.secondStageWeight} onInput={(e) => set({ integration: { ...draft.integration, secondStageWeight: Number(e.currentTarget.value) } })} />
            </span>
          </Field>
        </section>

        <section class="card" aria-labelledby="ed-sections">
          <h2 id="ed-sections">{t('sections')}</h2>
          <table class="dense edit-table">
            <thead>
              <tr>
                <th>{t('sectionId')}</th>
                <th>{t('sectionTitle')}</th>
                <th>{t('questionCount')}</th>
                <th>{t('optionCount')}</th>
                <th>{t('scoring')}</th>
                <th>{t('correct')} / {t('wrong')} / {t('blank')}</th>
                <th>{t('weightSet')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {draft.sections.map((s, i) => (
                <tr key={i} data-section={i}>
                  <td>
                    <input aria-label={`${t('sectionId')} ${i + 1}`} name={`section-${i}-id`} required size={6} value={s.id} onInput={(e) => setSection(i, { id: e.currentTarget.value.trim() })} />
                  </td>
                  <td>
                    <input aria-label={`${t('sectionTitle')} ${i + 1}`} name={`section-${i}-title`} required value={s.title} onInput={(e) => setSection(i, { title: e.currentTarget.value })} />
                  </td>
                  <td>
                    <input aria-label={`${t('questionCount')} ${i + 1}`} name={`section-${i}-count`} type="number" min={1} required value={s.questionCount} onInput={(e) => setSection(i, { questionCount: Number(e.currentTarget.value) })} />
                  </td>
                  <td>
                    <input aria-label={`${t('optionCount')} ${i + 1}`} type="number" min={2} max={6} placeholder={t('optionCountAny')} value={s.optionCount ?? ''} onInput={(e) => setSection(i, { optionCount: num(e.currentTarget.value) })} />
                  </td>
                  <td>
                    <select aria-label={`${t('scoring')} ${i + 1}`} name={`section-${i}-kind`} value={s.scoring.kind} onChange={(e) => setSection(i, { scoring: e.currentTarget.value === 'keyed' ? { kind: 'keyed', correct: 5, wrong: 0, blank: 0 } : { kind: 'weighted', blank: 0 } })}>
                      <option value="keyed">{t('keyed')}</option>
                      <option value="weighted">{t('weighted')}</option>
                    </select>
                  </td>
                  <td class="inline-inputs">
                    {s.scoring.kind === 'keyed' && (
                      <>
                        <input aria-label={`${t('correct')} ${i + 1}`} type="number" value={s.scoring.correct} onInput={(e) => setScoring(i, { correct: Number(e.currentTarget.value) })} />
                        <input aria-label={`${t('wrong')} ${i + 1}`} type="number" value={s.scoring.wrong} onInput={(e) => setScoring(i, { wrong: Number(e.currentTarget.value) })} />
                      </>
                    )}
                    <input aria-label={`${t('blank')} ${i + 1}`} type="number" value={s.scoring.blank} onInput={(e) => setScoring(i, { blank: Number(e.currentTarget.value) })} />
                  </td>
                  <td>
                    {s.scoring.kind === 'weighted' && (
                      <input
                        aria-label={`${t('weightSet')} ${i + 1}`}
                        placeholder={t('weightSetHint')}
                        value={s.scoring.weightSet?.join(',') ?? ''}
                        onChange={(e) => {
                          const v = e.currentTarget.value.split(/[,\s]+/).filter(Boolean).map(Number);
                          setScoring(i, { weightSet: v.length ? v : undefined });
                        }}
                      />
                    )}
                  </td>
                  <td>
                    <button type="button" class="small" disabled={draft.sections.length === 1} onClick={() => set({ sections: draft.sections.filter((_, k) => k !== i) })}>
                      {t('remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" class="small" onClick={() => set({ sections: [...draft.sections, { id: '', title: '', questionCount: 10, scoring: { kind: 'keyed', correct: 5, wrong: 0, blank: 0 } }] })}>
            {t('addSection')}
          </button>
        </section>

        <section class="card" aria-labelledby="ed-sets">
          <h2 id="ed-sets">{t('thresholdSets')}</h2>
          <table class="dense edit-table">
            <thead>
              <tr>
                <th>{t('setId')}</th>
                <th>{t('setName')}</th>
                {draft.sections.map((s) => (
                  <th key={s.id}>{t('minimum', { s: s.id })}</th>
                ))}
                <th>{t('totalMinimum')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {draft.thresholdSets.map((ts, i) => (
                <tr key={i}>
                  <td>
                    <input aria-label={`${t('setId')} ${i + 1}`} name={`set-${i}-id`} required size={10} value={ts.id} onInput={(e) => setThreshold(i, { id: e.currentTarget.value.trim() })} />
                  </td>
                  <td>
                    <input aria-label={`${t('setName')} ${i + 1}`} name={`set-${i}-name`} required value={ts.name} onInput={(e) => setThreshold(i, { name: e.currentTarget.value })} />
                  </td>
                  {draft.sections.map((s) => (
                    <td key={s.id}>
                      <input aria-label={`${t('minimum', { s: s.id })} ${ts.id}`} type="number" size={5} value={ts.sectionMinimums[s.id] ?? ''} onInput={(e) => setMinimum(i, s.id, e.currentTarget.value)} />
                    </td>
                  ))}
                  <td>
                    <input aria-label={`${t('totalMinimum')} ${ts.id}`} type="number" value={ts.totalMinimum ?? ''} onInput={(e) => setThreshold(i, { totalMinimum: num(e.currentTarget.value) })} />
                  </td>
                  <td>
                    <button type="button" class="small" disabled={draft.thresholdSets.length === 1} onClick={() => set({ thresholdSets: draft.thresholdSets.filter((_, k) => k !== i) })}>
                      {t('remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" class="small" onClick={() => set({ thresholdSets: [...draft.thresholdSets, { id: '', name: '', sectionMinimums: {} }] })}>
            {t('addSet')}
          </button>
          <div class="form-grid">
            <Field label={t('defaultSet')}>
              <select name="defaultThresholdSet" value={draft.defaultThresholdSet} onChange={(e) => set({ defaultThresholdSet: e.currentTarget.value })}>
                {draft.thresholdSets.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.id}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('tieBreak')} hint={t('tieBreakHint')}>
              <input name="tieBreak" value={draft.tieBreak.join(', ')} onChange={(e) => set({ tieBreak: e.currentTarget.value.split(/[,\s]+/).filter(Boolean) })} />
            </Field>
          </div>
        </section>

        <section class="card" aria-labelledby="ed-groups">
          <h2 id="ed-groups">{t('groups')}</h2>
          <p class="muted">{t('groupsHelp')}</p>
          <table class="dense edit-table">
            <thead>
              <tr>
                <th>{t('group')}</th>
                <th>{t('usesSet')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {draft.groups.map(([g, s], i) => (
                <tr key={i}>
                  <td>
                    <input aria-label={`${t('group')} ${i + 1}`} value={g} onInput={(e) => set({ groups: draft.groups.map((x, k) => (k === i ? [e.currentTarget.value.trim(), x[1]] : x)) })} />
                  </td>
                  <td>
                    <select aria-label={`${t('usesSet')} ${i + 1}`} value={s} onChange={(e) => set({ groups: draft.groups.map((x, k) => (k === i ? [x[0], e.currentTarget.value] : x)) })}>
                      {draft.thresholdSets.map((ts) => (
                        <option key={ts.id} value={ts.id}>
                          {ts.id}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <button type="button" class="small" onClick={() => set({ groups: draft.groups.filter((_, k) => k !== i) })}>
                      {t('remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" class="small" onClick={() => set({ groups: [...draft.groups, ['', draft.defaultThresholdSet]] })}>
            {t('addGroup')}
          </button>
        </section>
        {error && (
          <Banner kind="error">
            {error.text}
            {error.issues.length > 0 && (
              <ul>
                {error.issues.map((i) => (
                  <li key={i}>{i}</li>
                ))}
              </ul>
            )}
          </Banner>
        )}
        <div class="buttons">
          <a class="button" href="#/templates">
            {t('cancel')}
          </a>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('saving') : t('save')}
          </button>
        </div>
      </form>
    </main>
  );
}
