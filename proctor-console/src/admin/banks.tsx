import { useMemo, useState } from 'preact/hooks';
import type { BankListItem, BankReportOut, BankUploadResult, TemplateListItem } from '../../../server/src/contract/http';
import { api, ApiError, download, enc, saveBlob, type Session } from './api';
import { bankLocationId, bankProblemId } from './bank-words';
import { currentLang, t } from './i18n';
import { Banner, counts, Empty, errorText, Field, Loading, siteTime, useLoad } from './ui';

type Problem = BankReportOut['errors'][number];

/** A field as the operator names it: options[1] is "option B" (the list counts from 0, the letters from A). */
function fieldText(field: string): string {
  if (field === '(question)') return t('wholeQuestion');
  return field.replace(/options\[(\d+)\]/g, (whole, n: string) => (Number(n) < 26 ? `${t('optionField', { letter: String.fromCharCode(65 + Number(n)) })} (${whole})` : whole));
}

/** The report's sentences and places in the console's language (the server words them in English). */
const said = (message: string) => (currentLang() === 'id' ? bankProblemId(message) : message);
const place = (location: string) => (currentLang() === 'id' ? bankLocationId(location) : location);
const where = (p: Problem) => [p.index !== null ? `#${p.index + 1}` : null, p.location ? place(p.location) : null].filter(Boolean).join(', ');

/** Every problem of a report in one table: none left out, with a filter for long ones. */
function ProblemTable({ kind, problems }: { kind: 'errors' | 'warnings'; problems: Problem[] }) {
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f ? problems.filter((p) => `${p.questionId ?? ''} ${fieldText(p.field)} ${said(p.message)} ${where(p)}`.toLowerCase().includes(f)) : problems;
  }, [problems, filter]);
  if (problems.length === 0) return null;
  return (
    <section class={`problems ${kind}`} aria-label={t(kind)}>
      <div class="row-between">
        <h3>
          {t(kind)} ({problems.length})
        </h3>
        {problems.length > 10 && <input type="search" aria-label={t('filterReport')} placeholder={t('filterReport')} value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />}
      </div>
      <div class="scroll-y">
        <table class="dense">
          <thead>
            <tr>
              <th>#</th>
              <th>{t('question')}</th>
              <th>{t('field')}</th>
              <th>{t('message')}</th>
              <th>{t('location')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p, i) => (
              <tr key={i} data-code={p.code}>
                <td class="num">{i + 1}</td>
                <td class="mono">{p.questionId ?? '–'}</td>
                <td class="mono">{fieldText(p.field)}</td>
                <td class="wrap">
                  {said(p.message)}
                  {p.related && <span class="muted"> ({p.related.map((r) => `${r.questionId ?? '?'} #${r.index + 1}`).join(', ')})</span>}
                </td>
                <td class="mono">{where(p)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ReportView({ report }: { report: BankReportOut }) {
  const s = report.summary;
  return (
    <div class="report" data-testid="bank-report">
      <p>
        <strong>{s.bankId ?? '–'}</strong> · {t('format')}: {s.format ?? '–'} · {t('source')}: <span class="mono">{s.source ?? '–'}</span> · {t('template')}: {s.template ?? '–'}
        <br />
        {t('questions')}: {s.questions}
        {Object.keys(s.sections).length > 0 && ` (${counts(s.sections)})`}, {s.valid} {t('valid')} · {t('errors')}: <strong>{s.errors}</strong> · {t('warnings')}: {s.warnings}
      </p>
      <ProblemTable kind="errors" problems={report.errors} />
      <ProblemTable kind="warnings" problems={report.warnings} />
      <div class="buttons">
        <button type="button" class="small" onClick={() => saveBlob(new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' }), `laporan-${s.bankId ?? 'bank'}.json`)}>
          {t('downloadReport')}
        </button>
      </div>
    </div>
  );
}

function Upload({ session, templates, onStored }: { session: Session; templates: TemplateListItem[]; onStored: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [template, setTemplate] = useState(templates.some((x) => x.template.id === 'skd') ? 'skd' : '');
  const [id, setId] = useState('');
  const [title, setTitle] = useState('');
  const [section, setSection] = useState('');
  const [language, setLanguage] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ kind: 'ok' | 'error' | 'info'; text: string; report?: BankReportOut } | null>(null);

  const send = async (dryRun: boolean) => {
    if (!file) return setOutcome({ kind: 'error', text: t('chooseFile') });
    setBusy(true);
    setOutcome(null);
    const q = new URLSearchParams({ name: file.name, ...(template ? { template } : {}), ...(id ? { id } : {}), ...(title ? { title } : {}), ...(section ? { section } : {}), ...(language ? { language } : {}), ...(dryRun ? { dryRun: 'true' } : {}) });
    try {
      const r = await api<BankUploadResult>(session, 'POST', `/api/admin/banks?${q}`, { raw: file, type: file.type || 'application/octet-stream' });
      setOutcome({ kind: r.stored ? 'ok' : 'info', text: t(r.stored ? 'stored' : 'checkedOk', { id: r.bank.id, n: r.bank.questions }), report: r.report });
      if (r.stored) onStored();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'BANK_INVALID') setOutcome({ kind: 'error', text: t('refused', { n: (e.details as BankReportOut).errors.length }), report: e.details as BankReportOut });
      else if (e instanceof ApiError && e.code === 'CONFLICT' && e.details) setOutcome({ kind: 'error', text: t('conflict', { id: (e.details as BankReportOut).summary.bankId ?? '' }), report: e.details as BankReportOut });
      else setOutcome({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="upload-title">
      <h2 id="upload-title">{t('uploadTitle')}</h2>
      <p class="muted">{t('uploadHelp')}</p>
      <form
        class="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void send(false);
        }}
      >
        <Field label={t('file')}>
          <input type="file" name="bank" accept=".json,.csv,.zip,application/json,text/csv,application/zip" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        </Field>
        <Field label={t('template')}>
          <select name="template" value={template} onChange={(e) => setTemplate(e.currentTarget.value)}>
            {templates.map((x) => (
              <option key={x.template.id} value={x.template.id}>
                {x.template.name} ({x.template.id})
              </option>
            ))}
            <option value="">{t('noTemplate')}</option>
          </select>
        </Field>
        <details class="wide">
          <summary>{t('advanced')}</summary>
          <div class="form-grid">
            <Field label={t('bankIdOverride')}>
              <input name="id" value={id} onInput={(e) => setId(e.currentTarget.value.trim())} />
            </Field>
            <Field label={t('bankTitleOverride')}>
              <input name="title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
            </Field>
            <Field label={t('bankLanguage')} hint={t('bankLanguageHelp')}>
              <select name="language" value={language} onChange={(e) => setLanguage(e.currentTarget.value)}>
                <option value="">{t('fromFile')}</option>
                <option value="id">Bahasa Indonesia (id)</option>
                <option value="en">English (en)</option>
              </select>
            </Field>
            <Field label={t('qtiSection')}>
              <input name="section" value={section} onInput={(e) => setSection(e.currentTarget.value.trim())} />
            </Field>
          </div>
        </details>
        <div class="buttons wide">
          <button type="button" disabled={busy} onClick={() => void send(true)}>
            {t('checkOnly')}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {t('upload')}
          </button>
          {busy && <span class="muted" role="status">{t('uploading')}</span>}
        </div>
      </form>
      {outcome && (
        <div class="outcome">
          <Banner kind={outcome.kind}>{outcome.text}</Banner>
          {outcome.report && <ReportView report={outcome.report} />}
        </div>
      )}
    </section>
  );
}

export function BanksPage({ session }: { session: Session }) {
  const banks = useLoad(() => api<BankListItem[]>(session, 'GET', '/api/admin/banks'), []);
  const templates = useLoad(() => api<TemplateListItem[]>(session, 'GET', '/api/admin/templates'), []);
  const [error, setError] = useState<string | null>(null);
  return (
    <main class="page" id="main" tabIndex={-1}>
      <h1>{t('banksTitle')}</h1>
      {templates.data ? <Upload session={session} templates={templates.data} onStored={banks.reload} /> : <Loading error={templates.error} />}
      <section class="card" aria-labelledby="banks-title">
        <h2 id="banks-title">{t('bankList')}</h2>
        {error && <Banner kind="error">{error}</Banner>}
        {!banks.data ? (
          <Loading error={banks.error} />
        ) : banks.data.length === 0 ? (
          <Empty>{t('noBanks')}</Empty>
        ) : (
          <table class="dense" data-testid="banks">
            <thead>
              <tr>
                <th>ID</th>
                <th>{t('name')}</th>
                <th>{t('sections')}</th>
                <th class="num">{t('questions')}</th>
                <th class="num">{t('retired')}</th>
                <th>{t('usedBy')}</th>
                <th>{t('created')}</th>
                <th>{t('actions')}</th>
              </tr>
            </thead>
            <tbody>
              {banks.data.map((b) => (
                <tr key={b.id}>
                  <td class="mono">{b.id}</td>
                  <td>
                    {b.title} <span class="muted">({b.language})</span>
                  </td>
                  <td>{counts(b.sections)}</td>
                  <td class="num">{b.questions}</td>
                  <td class="num">{b.retired}</td>
                  <td>{b.usedBy.join(', ') || '–'}</td>
                  <td>{siteTime(b.createdAt)}</td>
                  <td class="buttons">
                    <a class="button small" href={`#/banks/${enc(b.id)}`}>
                      {t('browse')}
                    </a>
                    <button type="button" class="small" onClick={() => download(session, `/api/admin/banks/${enc(b.id)}/qti`, `${b.id}-qti3.zip`).catch((e) => setError(errorText(e)))}>
                      {t('exportQti')}
                    </button>
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
