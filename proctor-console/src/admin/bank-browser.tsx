import { useEffect, useState } from 'preact/hooks';
import type { AdminQuestion, QuestionPage } from '../../../server/src/contract/http';
import { Content } from '../../../exam-client/src/content';
import { api, download, enc, type Session } from './api';
import { t, type Key } from './i18n';
import { Banner, Dialog, Empty, errorText, Field, Loading, useLoad } from './ui';

const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'];
const PAGE = 20;
/** A question's difficulty in the admin's language (the stored word where there is none). */
const DIFFICULTY: Record<string, Key> = { easy: 'difficultyEasy', medium: 'difficultyMedium', hard: 'difficultyHard' };

/** One question as a candidate would see it, with its key or weights and its state. */
function QuestionCard({ q, selected, onSelect }: { q: AdminQuestion; selected: boolean; onSelect: (on: boolean) => void }) {
  return (
    <article class={`question-card ${q.retired ? 'is-retired' : ''}`} data-question={q.id}>
      <header>
        <label class="pick">
          <input type="checkbox" checked={selected} onChange={(e) => onSelect(e.currentTarget.checked)} aria-label={`${t('select')} ${q.id}`} />
          <span class="mono strong">{q.id}</span>
        </label>
        <span class="badge">{q.section}</span>
        <span class="muted">{q.topic}</span>
        {q.difficulty && (
          <span class="muted">
            · {t('difficulty')}: {DIFFICULTY[q.difficulty] ? t(DIFFICULTY[q.difficulty]) : q.difficulty}
          </span>
        )}
        {q.retired && <span class="badge retired">{t('retiredBadge')}</span>}
      </header>
      <Content class="stem content" html={q.stem} />
      <ol class="options">
        {q.options.map((o, i) => {
          const isKey = q.key === LETTERS[i];
          return (
            <li key={i} class={isKey ? 'is-key' : ''}>
              <span class="letter">{LETTERS[i]}</span>
              <Content class="content" html={o} inline />
              {isKey && <span class="key-mark" title={t('key')}>✓ {t('key')}</span>}
              {q.weights && <span class="weight">{q.weights[i]}</span>}
            </li>
          );
        })}
      </ol>
    </article>
  );
}

/** A bank's questions, searched and filtered a page at a time, rendered as candidates see them; retire and bring back. */
export function BankBrowser({ session, bankId }: { session: Session; bankId: string }) {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [section, setSection] = useState('');
  const [topic, setTopic] = useState('');
  const [status, setStatus] = useState<'all' | 'active' | 'retired'>('all');
  const [offset, setOffset] = useState(0);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<'retire' | 'restore' | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => setOffset(0), [query, section, topic, status]);
  const params = new URLSearchParams({ offset: String(offset), limit: String(PAGE), status, ...(query ? { q: query } : {}), ...(section ? { section } : {}), ...(topic ? { topic } : {}) });
  const page = useLoad(() => api<QuestionPage>(session, 'GET', `/api/admin/banks/${enc(bankId)}/questions?${params}`), [bankId, params.toString()]);
  const select = (id: string, on: boolean) =>
    setPicked((p) => {
      const n = new Set(p);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });

  return (
    <main class="page" id="main" tabIndex={-1}>
      <p>
        <a href="#/banks">{t('back')}</a>
      </p>
      <div class="row-between">
        <h1>{t('bankTitle', { id: bankId })}</h1>
        <span class="buttons">
          <a class="button" href={`#/analysis?bank=${enc(bankId)}`}>
            {t('navAnalysis')}
          </a>
          <button type="button" onClick={() => download(session, `/api/admin/banks/${enc(bankId)}/qti`, `${bankId}-qti3.zip`).catch((e) => setMessage({ kind: 'error', text: errorText(e) }))}>
            {t('exportQti')}
          </button>
        </span>
      </div>
      <form
        class="toolbar card"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(q.trim());
        }}
      >
        <input type="search" name="q" aria-label={t('searchQuestions')} placeholder={t('searchQuestions')} value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <button type="submit">{t('search')}</button>
        <Field label={t('section')}>
          <select name="section" value={section} onChange={(e) => (setSection(e.currentTarget.value), setTopic(''))}>
            <option value="">{t('all')}</option>
            {page.data?.sections.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field label={t('topic')}>
          <select name="topic" value={topic} onChange={(e) => setTopic(e.currentTarget.value)}>
            <option value="">{t('all')}</option>
            {page.data?.topics.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </Field>
        <Field label={t('status')}>
          <select name="status" value={status} onChange={(e) => setStatus(e.currentTarget.value as typeof status)}>
            <option value="all">{t('all')}</option>
            <option value="active">{t('active')}</option>
            <option value="retired">{t('retired')}</option>
          </select>
        </Field>
      </form>
      {message && <Banner kind={message.kind}>{message.text}</Banner>}
      <div class="toolbar selection" aria-live="polite">
        <span>{t('selected', { n: picked.size })}</span>
        <button type="button" disabled={picked.size === 0} onClick={() => setDialog('retire')}>
          {t('retire')}
        </button>
        <button type="button" disabled={picked.size === 0} onClick={() => setDialog('restore')}>
          {t('restore')}
        </button>
        {page.data && page.data.total > 0 && (
          <span class="pager">
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              {t('previous')}
            </button>
            <span data-testid="page-info">{t('shown', { from: offset + 1, to: Math.min(offset + PAGE, page.data.total), total: page.data.total })}</span>
            <button type="button" disabled={offset + PAGE >= page.data.total} onClick={() => setOffset(offset + PAGE)}>
              {t('next')}
            </button>
          </span>
        )}
      </div>
      {!page.data ? <Loading error={page.error} /> : page.data.questions.length === 0 ? <Empty>{t('noQuestions')}</Empty> : page.data.questions.map((x) => <QuestionCard key={x.id} q={x} selected={picked.has(x.id)} onSelect={(on) => select(x.id, on)} />)}
      {dialog && (
        <RetireDialog
          session={session}
          bankId={bankId}
          ids={[...picked]}
          retire={dialog === 'retire'}
          onClose={() => setDialog(null)}
          onDone={(text) => {
            setDialog(null);
            setPicked(new Set());
            setMessage({ kind: 'ok', text });
            page.reload();
          }}
        />
      )}
    </main>
  );
}

function RetireDialog({ session, bankId, ids, retire, onClose, onDone }: { session: Session; bankId: string; ids: string[]; retire: boolean; onClose: () => void; onDone: (text: string) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const r = await api<{ changed: number; retired: number }>(session, 'POST', `/api/admin/banks/${enc(bankId)}/retire`, { json: { questionIds: ids, retired: retire, reason } });
      onDone(`${t(retire ? 'retire' : 'restore')}: ${r.changed} · ${t('retired')}: ${r.retired}`);
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={t(retire ? 'retireTitle' : 'restoreTitle', { n: ids.length })} onClose={onClose}>
      <form onSubmit={submit} class="stack">
        {retire && <p class="muted">{t('retireHelp')}</p>}
        <p class="mono small">{ids.join(', ')}</p>
        <Field label={t('reason')} hint={t('reasonHint')}>
          <textarea name="reason" required minLength={3} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </Field>
        {error && <Banner kind="error">{error}</Banner>}
        <div class="buttons end">
          <button type="button" onClick={onClose}>
            {t('cancel')}
          </button>
          <button type="submit" class={retire ? 'danger' : 'primary'} disabled={busy || reason.trim().length < 3}>
            {t(retire ? 'retire' : 'restore')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
