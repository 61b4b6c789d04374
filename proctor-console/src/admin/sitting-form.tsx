import { useState } from 'preact/hooks';
import type { BankListItem, SittingDetail, TemplateListItem } from '../../../server/src/contract/http';
import { api, ApiError, enc, type Session } from './api';
import { t } from './i18n';
import { Banner, errorText, Field, isoAt, localInput, Loading, useLoad, ZONES } from './ui';

interface Form {
  id: string;
  name: string;
  templateId: string;
  bankId: string;
  site: string;
  room: string;
  start: string;
  timezone: string;
  requireToken: boolean;
  tokenIntervalMinutes: number;
  requireAdmission: boolean;
  practice: boolean;
  revealPolicy: 'on-finish' | 'live';
  roomRows: string;
  roomCols: string;
  vacancies: [string, string][];
  seed: string;
}

function initial(s: SittingDetail | null): Form {
  if (!s) {
    const tomorrow = new Date(Date.now() + 86_400_000);
    tomorrow.setUTCHours(1, 0, 0, 0); // 08:00 WIB
    return { id: '', name: '', templateId: 'skd', bankId: '', site: '', room: '', start: localInput(tomorrow.getTime(), 'Asia/Jakarta'), timezone: 'Asia/Jakarta', requireToken: true, tokenIntervalMinutes: 15, requireAdmission: true, practice: false, revealPolicy: 'on-finish', roomRows: '', roomCols: '', vacancies: [['', '1']], seed: '' };
  }
  return {
    id: s.id,
    name: s.name,
    templateId: s.templateId,
    bankId: s.bankId,
    site: s.site,
    room: s.room,
    start: localInput(s.scheduledStart, s.timezone),
    timezone: s.timezone,
    requireToken: s.requireToken,
    tokenIntervalMinutes: s.tokenIntervalMinutes,
    requireAdmission: s.requireAdmission,
    practice: s.practice,
    revealPolicy: s.revealPolicy,
    roomRows: s.roomRows === null ? '' : String(s.roomRows),
    roomCols: s.roomCols === null ? '' : String(s.roomCols),
    vacancies: Object.entries(s.vacancies).map(([f, n]) => [f, String(n)]),
    seed: '',
  };
}

/**
 * A warning when the start chosen has passed: a typo in the date or the wrong zone would open the
 * sitting's schedule in the past (the server takes it: a sitting may be set up late on the day).
 */
function startPast(f: Form, locked: boolean): string | undefined {
  const at = Date.parse(isoAt(f.start, f.timezone));
  const ago = Date.now() - at;
  if (locked || !f.start || !Number.isFinite(at) || ago < 60_000) return undefined;
  const minutes = Math.round(ago / 60_000);
  const text = minutes < 120 ? t('agoMinutes', { n: minutes }) : minutes < 48 * 60 ? t('agoHours', { n: Math.round(minutes / 60) }) : t('agoDays', { n: Math.round(minutes / 1440) });
  return t('startPast', { ago: text });
}

/** Creates a sitting, or changes a scheduled one: schedule, token and admission, reveal policy, room layout, formations. */
export function SittingForm({ session, sitting, onSaved }: { session: Session; sitting: SittingDetail | null; onSaved: (s: SittingDetail) => void }) {
  const templates = useLoad(() => api<TemplateListItem[]>(session, 'GET', '/api/admin/templates'), []);
  const banks = useLoad(() => api<BankListItem[]>(session, 'GET', '/api/admin/banks'), []);
  const [f, setF] = useState<Form>(() => initial(sitting));
  const [error, setError] = useState<{ text: string; issues: string[] } | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const locked = sitting !== null && sitting.status !== 'scheduled';
  const set = (patch: Partial<Form>) => {
    setDone(false);
    setF({ ...f, ...patch });
  };
  if (!templates.data || !banks.data) return <Loading error={templates.error ?? banks.error} />;
  const past = startPast(f, locked);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!f.vacancies.some(([name]) => name.trim())) {
      setError({ text: t('formationRequired'), issues: [] });
      return;
    }
    setBusy(true);
    setError(null);
    const rows = f.roomRows.trim() ? Number(f.roomRows) : null;
    const cols = f.roomCols.trim() ? Number(f.roomCols) : null;
    const body = {
      name: f.name,
      templateId: f.templateId,
      bankId: f.bankId,
      site: f.site,
      room: f.room,
      scheduledStart: isoAt(f.start, f.timezone),
      timezone: f.timezone,
      requireToken: f.requireToken,
      tokenIntervalMinutes: f.tokenIntervalMinutes,
      requireAdmission: f.requireAdmission,
      practice: f.practice,
      revealPolicy: f.revealPolicy,
      roomRows: rows,
      roomCols: cols,
      vacancies: Object.fromEntries(f.vacancies.filter(([name]) => name.trim()).map(([name, n]) => [name.trim(), Number(n)])),
    };
    try {
      const saved = sitting
        ? await api<SittingDetail>(session, 'PATCH', `/api/admin/sittings/${enc(sitting.id)}`, { json: body })
        : await api<SittingDetail>(session, 'POST', '/api/admin/sittings', { json: { id: f.id, ...body, ...(f.seed.trim() ? { seed: f.seed.trim() } : {}) } });
      setDone(true);
      onSaved(saved);
    } catch (err) {
      const issues = err instanceof ApiError && Array.isArray(err.details) ? (err.details as { path?: string[]; message?: string }[]).filter((i) => i.path).map((i) => `${i.path!.join('.')}: ${i.message}`) : [];
      setError({ text: errorText(err), issues });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="stack" onSubmit={submit} aria-label={t('settings')}>
      {locked && <Banner kind="info">{t('notEditable', { status: t(`status${sitting!.status[0].toUpperCase()}${sitting!.status.slice(1)}` as 'statusOpen').toLowerCase() })}</Banner>}
      <fieldset disabled={locked} class="card form-grid">
        {!sitting && (
          <Field label={t('sittingId')}>
            <input name="id" required pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,63}" value={f.id} onInput={(e) => set({ id: e.currentTarget.value.trim() })} />
          </Field>
        )}
        <Field label={t('name')}>
          <input name="name" required value={f.name} onInput={(e) => set({ name: e.currentTarget.value })} />
        </Field>
        <Field label={t('template')}>
          <select name="templateId" value={f.templateId} onChange={(e) => set({ templateId: e.currentTarget.value })}>
            {templates.data.map((x) => (
              <option key={x.template.id} value={x.template.id}>
                {x.template.name} ({x.template.id})
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('bank')}>
          <select name="bankId" required value={f.bankId} onChange={(e) => set({ bankId: e.currentTarget.value })}>
            <option value="">–</option>
            {banks.data.map((b) => (
              <option key={b.id} value={b.id}>
                {b.title} ({b.id}, {b.questions - b.retired} {t('questions').toLowerCase()})
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('site')}>
          <input name="site" required value={f.site} onInput={(e) => set({ site: e.currentTarget.value })} />
        </Field>
        <Field label={t('room')}>
          <input name="room" required value={f.room} onInput={(e) => set({ room: e.currentTarget.value })} />
        </Field>
        <Field label={t('schedule')} hint={past && <span class="warning" data-testid="start-past">{past}</span>}>
          <input name="start" type="datetime-local" required value={f.start} onInput={(e) => set({ start: e.currentTarget.value })} aria-invalid={past ? 'true' : undefined} />
        </Field>
        <Field label={t('timezone')}>
          <select name="timezone" value={f.timezone} onChange={(e) => set({ timezone: e.currentTarget.value })}>
            {Object.entries(ZONES).map(([zone, z]) => (
              <option key={zone} value={zone}>
                {z.label} ({zone}, UTC{z.offset})
              </option>
            ))}
          </select>
        </Field>
      </fieldset>
      <fieldset disabled={locked} class="card form-grid">
        <legend>{t('entryRules')}</legend>
        <label class="check wide">
          <input type="checkbox" name="requireToken" checked={f.requireToken} onChange={(e) => set({ requireToken: e.currentTarget.checked })} />
          <span>
            <strong>{t('requireToken')}</strong>
            <span class="hint">{t('requireTokenHelp', { n: f.tokenIntervalMinutes })}</span>
          </span>
        </label>
        {f.requireToken && (
          <Field label={t('tokenInterval')}>
            <input name="tokenIntervalMinutes" type="number" min={1} max={1440} value={f.tokenIntervalMinutes} onInput={(e) => set({ tokenIntervalMinutes: Number(e.currentTarget.value) })} />
          </Field>
        )}
        <label class="check wide">
          <input type="checkbox" name="requireAdmission" checked={f.requireAdmission} onChange={(e) => set({ requireAdmission: e.currentTarget.checked })} />
          <span>
            <strong>{t('requireAdmission')}</strong>
            <span class="hint">{t('requireAdmissionHelp')}</span>
          </span>
        </label>
        <label class="check wide">
          <input type="checkbox" name="practice" checked={f.practice} onChange={(e) => set({ practice: e.currentTarget.checked })} />
          <span>
            <strong>{t('practice')}</strong>
            <span class="hint">{t('practiceHelp')}</span>
          </span>
        </label>
      </fieldset>
      <fieldset disabled={locked} class="card form-grid">
        <legend>{t('revealPolicy')}</legend>
        {(['on-finish', 'live'] as const).map((p) => (
          <label class="check wide" key={p}>
            <input type="radio" name="revealPolicy" value={p} checked={f.revealPolicy === p} onChange={() => set({ revealPolicy: p })} />
            <span>{t(p === 'live' ? 'live' : 'onFinish')}</span>
          </label>
        ))}
        {f.revealPolicy === 'live' && (
          <div class="wide">
            <Banner kind="warning">{t('liveWarning')}</Banner>
          </div>
        )}
      </fieldset>
      <fieldset disabled={locked} class="card form-grid">
        <legend>{t('roomLayout')}</legend>
        <Field label={t('rows')}>
          <input name="roomRows" type="number" min={1} max={100} value={f.roomRows} onInput={(e) => set({ roomRows: e.currentTarget.value })} />
        </Field>
        <Field label={t('cols')} hint={t('roomLayoutHelp')}>
          <input name="roomCols" type="number" min={1} max={100} value={f.roomCols} onInput={(e) => set({ roomCols: e.currentTarget.value })} />
        </Field>
      </fieldset>
      <fieldset disabled={locked} class="card">
        <legend>{t('vacancies')}</legend>
        <p class="hint">{t('vacanciesHelp')}</p>
        {f.vacancies.map(([name, n], i) => (
          <div class="inline-inputs" key={i}>
            <input aria-label={`${t('formation')} ${i + 1}`} name={`formation-${i}`} placeholder={t('formation')} value={name} onInput={(e) => set({ vacancies: f.vacancies.map((v, k) => (k === i ? [e.currentTarget.value, v[1]] : v)) })} />
            <input aria-label={`${t('vacancyCount')} ${i + 1}`} name={`vacancies-${i}`} type="number" min={0} value={n} onInput={(e) => set({ vacancies: f.vacancies.map((v, k) => (k === i ? [v[0], e.currentTarget.value] : v)) })} />
            <button type="button" class="small" onClick={() => set({ vacancies: f.vacancies.filter((_, k) => k !== i) })}>
              {t('remove')}
            </button>
          </div>
        ))}
        <button type="button" class="small" onClick={() => set({ vacancies: [...f.vacancies, ['', '1']] })}>
          {t('addFormation')}
        </button>
        {!sitting && (
          <Field label={t('seed')} hint={t('seedHelp')}>
            <input name="seed" value={f.seed} onInput={(e) => set({ seed: e.currentTarget.value })} />
          </Field>
        )}
      </fieldset>
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
      {done && <Banner kind="ok">{t('saved')}</Banner>}
      {!locked && (
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('saving') : sitting ? t('save') : t('createSitting')}
          </button>
        </div>
      )}
    </form>
  );
}
