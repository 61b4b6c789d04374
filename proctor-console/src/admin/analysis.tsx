import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ItemAnalysisOut, SimilarityOutWire } from '../../../server/src/contract/analysis';
import type { BankListItem } from '../../../server/src/contract/http';
import type { SittingInfo } from '../../../server/src/contract/proctor';
import { api, download, enc, type Session } from './api';
import { t, type Key } from './i18n';
import { Banner, Empty, errorText, Loading, SittingStatus, useLoad } from './ui';

type Section = ItemAnalysisOut['sections'][number];
type Item = Section['items'][number];

const LETTERS = 'ABCDEFGHIJ';
const FLAG_WORDS: Record<string, Key> = { 'negative-discrimination': 'flagNegative', 'distractor-beats-key': 'flagDistractor', 'very-hard': 'flagHard', 'very-easy': 'flagEasy' };
const num = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '–' : v.toFixed(d));
const LIVE_REFRESH_MS = 10_000;
/** item rows drawn before "show all" */
const ROWS_SHOWN = 100;

/**
 * Item analysis for bank maintainers and answer-similarity flags for the integrity team
 * (docs/analysis.md): of a bank over its closed sittings, or of one sitting (live while it runs).
 * Admins only, like everything in this console; none of it is ever public.
 */
export function AnalysisPage({ session, bankId, sittingId }: { session: Session; bankId: string; sittingId: string }) {
  const banks = useLoad(() => api<BankListItem[]>(session, 'GET', '/api/admin/banks'), []);
  const sittings = useLoad(() => api<SittingInfo[]>(session, 'GET', '/api/admin/sittings'), []);
  const path = sittingId ? `/api/admin/sittings/${enc(sittingId)}/analysis` : bankId ? `/api/admin/banks/${enc(bankId)}/analysis` : null;
  // tagged with the address it came from: figures of the previous choice are never shown as this one's
  const loaded = useLoad(() => (path ? api<ItemAnalysisOut>(session, 'GET', path).then((data) => ({ path, data })) : Promise.resolve(null)), [path]);
  const data = loaded.data && loaded.data.path === path ? loaded.data.data : null;
  const [error, setError] = useState<string | null>(null);
  const [choice, setChoice] = useState({ bank: sittingId ? '' : bankId, sitting: sittingId });
  useEffect(() => setChoice({ bank: sittingId ? '' : bankId, sitting: sittingId }), [bankId, sittingId]);
  // a running sitting's figures move with every answer: fetch them again now and then
  useEffect(() => {
    if (!data?.live) return;
    const timer = setInterval(loaded.reload, LIVE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [data?.live, loaded.reload]);
  const sitting = sittings.data?.find((s) => s.id === sittingId);
  const show = (e: Event) => {
    e.preventDefault();
    location.hash = choice.sitting ? `#/analysis?sitting=${enc(choice.sitting)}` : choice.bank ? `#/analysis?bank=${enc(choice.bank)}` : '#/analysis';
  };
  return (
    <main class="page analysis" id="main" tabIndex={-1}>
      <h1>{t('analysisTitle')}</h1>
      <p class="muted">{t('analysisIntro')}</p>
      <form class="card toolbar no-print" onSubmit={show}>
        <label class="field">
          <span class="label">{t('analysisOfBank')}</span>
          <select name="bank" value={choice.bank} onChange={(e) => setChoice({ bank: e.currentTarget.value, sitting: '' })}>
            <option value="">–</option>
            {banks.data?.map((b) => (
              <option key={b.id} value={b.id}>
                {b.title} ({b.id})
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="label">{t('analysisOfSitting')}</span>
          <select name="sitting" value={choice.sitting} onChange={(e) => setChoice({ bank: '', sitting: e.currentTarget.value })}>
            <option value="">–</option>
            {sittings.data?.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.id})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="primary">
          {t('analysisShow')}
        </button>
        {path && (
          <button type="button" onClick={() => download(session, `${path}?format=csv`, `analisis-butir-${sittingId || bankId}.csv`).catch((e) => setError(errorText(e)))}>
            {t('downloadCsv')}
          </button>
        )}
      </form>
      {error && <Banner kind="error">{error}</Banner>}
      {data && loaded.error && <Banner kind="error">{loaded.error}</Banner>}
      {!path ? (
        <Empty>{t('analysisPick')}</Empty>
      ) : !data ? (
        <Loading error={loaded.error} />
      ) : (
        <>
          <p aria-live="polite">
            {data.live ? (
              <>
                <span class="badge live">{t('analysisLive')}</span> <span class="muted small">{t('liveNote')}</span>
              </>
            ) : null}{' '}
            {t('analysisCovers', { n: data.sittings.reduce((a, s) => a + s.candidates, 0), s: data.sittings.length })}{' '}
            {data.sittings.map((s) => (
              <span key={s.id} class="muted small">
                {s.name} <SittingStatus status={s.status} />{' '}
              </span>
            ))}
          </p>
          {data.sittings.length === 0 ? <Empty>{t('analysisNone')}</Empty> : data.sections.map((s) => <SectionView key={s.section} section={s} />)}
          {sitting && <SimilarityPanel session={session} sitting={sitting} />}
        </>
      )}
    </main>
  );
}

function SectionView({ section }: { section: Section }) {
  const r = section.reliability;
  const flagged = section.items.filter((i) => i.flags.length > 0).length;
  return (
    <section class="card" aria-labelledby={`sec-${section.section}`}>
      <h2 id={`sec-${section.section}`}>
        {section.section} <span class="muted small">· {section.kind === 'keyed' ? t('kindKeyed') : t('kindWeighted')}</span>
      </h2>
      <dl class="facts">
        <div>
          <dt>{t('candidates')}</dt>
          <dd>{section.candidates}</dd>
        </div>
        <div>
          <dt>{r.method}</dt>
          <dd>{num(r.value)}</dd>
        </div>
        <div>
          <dt>{t('acrossPapers')}</dt>
          <dd>{num(r.acrossPapers)}</dd>
        </div>
        <div>
          <dt>{t('meanSd')}</dt>
          <dd>
            {num(section.totals.mean, 1)} / {num(section.totals.sd, 1)}
          </dd>
        </div>
        <div>
          <dt>{t('flaggedItems')}</dt>
          <dd>{flagged}</dd>
        </div>
      </dl>
      {section.items.some((i) => i.n < FEW) && (
        <Banner kind="info">{t('fewViewersNote', { k: section.items.filter((i) => i.n < FEW).length, n: section.items.length, few: FEW })}</Banner>
      )}
      <div class="charts">
        <Histogram section={section} />
        <Scatter section={section} />
      </div>
      <ItemTable section={section} />
    </section>
  );
}

const W = 420;
const H = 220;
const PAD = { l: 40, r: 10, t: 10, b: 32 };

/** Totals of the section, one bar per bin, drawn here (no chart service). */
function Histogram({ section }: { section: Section }) {
  const bins = section.totals.bins;
  const top = Math.max(1, ...bins.map((b) => b.count));
  const bw = (W - PAD.l - PAD.r) / Math.max(1, bins.length);
  const y = (c: number) => H - PAD.b - (c / top) * (H - PAD.t - PAD.b);
  const label = t('histogramLabel', { s: section.section, n: section.candidates, m: num(section.totals.mean, 1) });
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} class="chart">
        <title>{label}</title>
        <line x1={PAD.l} y1={H - PAD.b} x2={W - PAD.r} y2={H - PAD.b} class="c-axis" />
        <line x1={PAD.l} y1={PAD.t} x2={PAD.l} y2={H - PAD.b} class="c-axis" />
        <text x={PAD.l - 4} y={PAD.t + 8} class="c-tick" text-anchor="end">
          {top}
        </text>
        <text x={PAD.l - 4} y={H - PAD.b} class="c-tick" text-anchor="end">
          0
        </text>
        {bins.map((b, i) => (
          <rect key={i} x={PAD.l + i * bw + 1} y={y(b.count)} width={Math.max(1, bw - 2)} height={H - PAD.b - y(b.count)} class="c-bar">
            <title>{`${b.from}–${b.to}: ${b.count}`}</title>
          </rect>
        ))}
        {bins.length > 0 && (
          <>
            <text x={PAD.l} y={H - PAD.b + 14} class="c-tick">
              {bins[0].from}
            </text>
            <text x={W - PAD.r} y={H - PAD.b + 14} class="c-tick" text-anchor="end">
              {bins[bins.length - 1].to}
            </text>
          </>
        )}
        <text x={(W + PAD.l) / 2} y={H - 4} class="c-label" text-anchor="middle">
          {t('axisTotal')}
        </text>
      </svg>
      <figcaption>{t('histogramCaption')}</figcaption>
      <details>
        <summary>{t('asTable')}</summary>
        <table class="dense bins">
          <caption class="sr-only">{label}</caption>
          <thead>
            <tr>
              <th>{t('axisTotal')}</th>
              <th class="num">{t('candidates')}</th>
            </tr>
          </thead>
          <tbody>
            {bins.map((b, i) => (
              <tr key={i}>
                <td>{`${b.from}–${b.to}`}</td>
                <td class="num">{b.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** Each item as a point: facility across, item-rest correlation up; flagged items stand out. */
function Scatter({ section }: { section: Section }) {
  const x = (p: number) => PAD.l + p * (W - PAD.l - PAD.r);
  const y = (r: number) => PAD.t + ((1 - r) / 2) * (H - PAD.t - PAD.b);
  const label = t('scatterLabel', { s: section.section, n: section.items.length });
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} class="chart">
        <title>{label}</title>
        <line x1={PAD.l} y1={y(0)} x2={W - PAD.r} y2={y(0)} class="c-axis" />
        <line x1={PAD.l} y1={PAD.t} x2={PAD.l} y2={H - PAD.b} class="c-axis" />
        {[1, 0.5, 0, -0.5, -1].map((r) => (
          <text key={r} x={PAD.l - 4} y={y(r) + 3} class="c-tick" text-anchor="end">
            {r}
          </text>
        ))}
        {[0, 0.5, 1].map((p) => (
          <text key={p} x={x(p)} y={H - PAD.b + 14} class="c-tick" text-anchor="middle">
            {p}
          </text>
        ))}
        {section.items.map((i) => {
          const tip = <title>{`${i.questionId}: p ${num(i.facility)}, r ${num(i.rItemRest)}${i.flags.length ? ` (${t('flags').toLowerCase()})` : ''}`}</title>;
          const cx = x(i.facility);
          const cy = y(i.rItemRest ?? 0);
          // flagged: a red diamond; no r (no variance): a hollow ring on the axis; the rest: dots
          if (i.rItemRest === null)
            return (
              <circle key={i.questionId} cx={cx} cy={cy} r={4} class={i.flags.length ? 'c-dot none flagged' : 'c-dot none'}>
                {tip}
              </circle>
            );
          return i.flags.length ? (
            <path key={i.questionId} d={`M${cx} ${cy - 5}L${cx + 5} ${cy}L${cx} ${cy + 5}L${cx - 5} ${cy}Z`} class="c-dot flagged">
              {tip}
            </path>
          ) : (
            <circle key={i.questionId} cx={cx} cy={cy} r={3.5} class="c-dot">
              {tip}
            </circle>
          );
        })}
        <text x={(W + PAD.l) / 2} y={H - 4} class="c-label" text-anchor="middle">
          {t('axisFacility')}
        </text>
      </svg>
      <figcaption>{t('scatterCaption')}</figcaption>
    </figure>
  );
}

type SortKey = 'questionId' | 'n' | 'facility' | 'rItemRest' | 'time' | 'flags';
/** Items seen by fewer candidates than this have figures too noisy to act on (docs/analysis.md). */
const FEW = 30;
const sortValue = (i: Item, k: SortKey): number | string | null => {
  if (k === 'questionId') return i.questionId;
  if (k === 'time') return i.time?.medianMs ?? null;
  // flagged items seen by many first: their flags are the ones to act on
  if (k === 'flags') return i.flags.length * 1e6 + i.n;
  return i[k];
};

function ItemTable({ section }: { section: Section }) {
  const [sort, setSort] = useState<{ key: SortKey; down: boolean }>({ key: 'flags', down: true });
  // a 10,000-question bank would be tens of thousands of table cells: the first rows in the
  // chosen order, and the rest on request (the CSV has every item)
  const [all, setAll] = useState(section.items.length <= ROWS_SHOWN);
  const rows = useMemo(() => {
    const out = [...section.items];
    out.sort((a, b) => {
      const va = sortValue(a, sort.key);
      const vb = sortValue(b, sort.key);
      // an item without the figure (no r, no time) goes last whichever way the column sorts
      if (va === null || vb === null) return va === vb ? a.questionId.localeCompare(b.questionId) : va === null ? 1 : -1;
      const c = typeof va === 'string' ? va.localeCompare(vb as string) : va - (vb as number);
      return (sort.down ? -c : c) || a.questionId.localeCompare(b.questionId);
    });
    return out;
  }, [section, sort]);
  const header = (key: SortKey, label: string, numeric = true) => (
    <th class={numeric ? 'num' : ''} aria-sort={sort.key === key ? (sort.down ? 'descending' : 'ascending') : 'none'}>
      <button type="button" class="sort" onClick={() => setSort((s) => ({ key, down: s.key === key ? !s.down : key !== 'questionId' }))}>
        {label}
        {sort.key === key ? (sort.down ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );
  return (
    <div class="table-scroll">
      <table class="dense items-table">
        <caption>{t('itemsCaption', { s: section.section, n: section.items.length })}</caption>
        <thead>
          <tr>
            {header('questionId', t('question'), false)}
            {header('n', 'n')}
            {header('facility', 'p')}
            {header('rItemRest', 'r')}
            <th>{t('keyShares')}</th>
            {header('time', t('medianTime'))}
            {header('flags', t('flags'), false)}
          </tr>
        </thead>
        <tbody>
          {(all ? rows : rows.slice(0, ROWS_SHOWN)).map((i) => (
            <tr key={i.questionId} class={i.flags.length ? 'flagged' : ''}>
              <td class="wrap">
                <span class="mono">{i.questionId}</span>
                <br />
                <span class="muted small">{i.excerpt}</span>
              </td>
              <td class="num">{i.n}</td>
              <td class="num">{num(i.facility)}</td>
              <td class="num">{num(i.rItemRest)}</td>
              <td class="mono small">
                {i.options.map((o) => (
                  <span key={o.option} class={o.isKey ? 'key' : ''}>
                    {LETTERS[o.option]}
                    {o.isKey ? <span class="sr-only"> ({t('keyWord')})</span> : null} {num(o.upper, 2)}/{num(o.lower, 2)}{' '}
                  </span>
                ))}
              </td>
              <td class="num">{i.time ? `${(i.time.medianMs / 1000).toFixed(i.time.medianMs < 10_000 ? 1 : 0)} s` : '–'}</td>
              <td class="wrap">
                {i.flags.map((f) => (FLAG_WORDS[f] ? t(FLAG_WORDS[f]) : f)).join(', ')}
                {i.flags.length > 0 && i.n < FEW ? <span class="muted small"> ({t('fewViewers', { n: i.n })})</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!all && (
        <p>
          <button type="button" onClick={() => setAll(true)}>
            {t('showAllItems', { shown: ROWS_SHOWN, n: rows.length })}
          </button>
        </p>
      )}
    </div>
  );
}

function SimilarityPanel({ session, sitting }: { session: Session; sitting: SittingInfo }) {
  const [alpha, setAlpha] = useState('0.001');
  const [bonferroni, setBonferroni] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const query = `alpha=${alpha}&correction=${bonferroni ? 'bonferroni' : 'none'}`;
  const closed = sitting.status === 'closed';
  const key = `${sitting.id}?${query}`;
  const loaded = useLoad(() => (closed ? api<SimilarityOutWire>(session, 'GET', `/api/admin/sittings/${enc(sitting.id)}/similarity?${query}`).then((data) => ({ key, data })) : Promise.resolve(null)), [key, closed]);
  const sim = { data: loaded.data && loaded.data.key === key ? loaded.data.data : null, error: loaded.error };
  const people = new Map(sim.data?.people.map((p) => [p.id, p]) ?? []);
  const who = (id: number | string) => {
    const p = people.get(id as number);
    return p ? `${p.name} (${p.registrationNumber}${p.seat ? `, ${t('seat')} ${p.seat}` : ''})` : String(id);
  };
  return (
    <section class="card similarity" aria-labelledby="sim-title">
      <h2 id="sim-title">{t('similarityTitle')}</h2>
      <Banner kind="info">{t('similarityNote')}</Banner>
      {!closed ? (
        <Empty>{t('similarityAfterClose')}</Empty>
      ) : (
        <>
          <div class="toolbar no-print">
            <label class="field">
              <span class="label">alpha</span>
              <select value={alpha} onChange={(e) => setAlpha(e.currentTarget.value)}>
                {['0.0001', '0.001', '0.01', '0.05'].map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </label>
            <label class="check">
              <input type="checkbox" checked={bonferroni} onChange={(e) => setBonferroni(e.currentTarget.checked)} /> {t('bonferroni')}
            </label>
            <button type="button" onClick={() => download(session, `/api/admin/sittings/${enc(sitting.id)}/similarity?${query}&format=csv`, `kemiripan-${sitting.id}.csv`).catch((e) => setError(errorText(e)))}>
              {t('downloadCsv')}
            </button>
          </div>
          {error && <Banner kind="error">{error}</Banner>}
          {sim.data && sim.error && <Banner kind="error">{sim.error}</Banner>}
          {!sim.data ? (
            <Loading error={sim.error} />
          ) : (
            <>
              <p>{t('similaritySummary', { pairs: sim.data.pairsTested, n: sim.data.candidates, f: sim.data.flagged.length, th: sim.data.threshold.toExponential(2) })}</p>
              {sim.data.flagged.length === 0 ? <Empty>{t('similarityNone')}</Empty> : <PairTable caption={t('flaggedPairs')} pairs={sim.data.flagged} who={who} />}
              <details class="closest">
                <summary>{t('closestPairs', { n: sim.data.closest.length })}</summary>
                <PairTable caption={t('closestCaption')} pairs={sim.data.closest} who={who} />
              </details>
            </>
          )}
        </>
      )}
    </section>
  );
}

type Pair = SimilarityOutWire['closest'][number] & Partial<Pick<SimilarityOutWire['flagged'][number], 'evidence' | 'aLater' | 'bLater'>>;

/** Pairs with what the committee needs to look further: who, where, how many identical answers, how likely by chance, and for flagged pairs the evidence. */
function PairTable({ caption, pairs, who }: { caption: string; pairs: Pair[]; who: (id: number | string) => string }) {
  const evidence = pairs.some((p) => p.evidence);
  return (
    <div class="table-scroll">
      <table class="dense pairs-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th>{t('pair')}</th>
            <th>{t('seatDistance')}</th>
            <th class="num">{t('sharedItems')}</th>
            <th class="num">{t('identicalAnswers')}</th>
            <th class="num">{t('identicalWrong')}</th>
            <th class="num">{t('probability')}</th>
            {evidence && <th>{t('evidence')}</th>}
          </tr>
        </thead>
        <tbody>
          {pairs.map((p) => (
            <tr key={`${p.a}-${p.b}`} class={p.flagged ? 'flagged' : ''}>
              <td class="wrap">
                1. {who(p.a)}
                <br />
                2. {who(p.b)}
              </td>
              <td>{p.seatDistance === null ? '–' : p.adjacent ? t('adjacent') : p.seatDistance}</td>
              <td class="num">{p.shared}</td>
              <td class="num">{p.identicalAnswers}</td>
              <td class="num">{p.identicalWrong}</td>
              <td class="num mono">{p.probability.toExponential(2)}</td>
              {evidence && (
                <td class="wrap">
                  {p.evidence && (
                    <details>
                      <summary>{t('laterCounts', { a: p.aLater ?? 0, b: p.bLater ?? 0 })}</summary>
                      <p class="muted small">{t('lagNote')}</p>
                      <ul class="evidence">
                        {p.evidence.map((e) => (
                          <li key={e.questionId} class="mono">
                            {e.questionId} · {t('bankOption')} {LETTERS[e.option]} · {e.lagMs === null ? '–' : `${e.lagMs > 0 ? '+' : ''}${Math.round(e.lagMs / 1000)} s`}
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
