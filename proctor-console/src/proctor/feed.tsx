import { useMemo, useState } from 'preact/hooks';
import type { AuditEntry, ProctorRow } from '../../../server/src/contract/proctor';
import { siteTime } from '../shared/format';
import { Icon } from '../shared/icons';
import { auditText } from './labels';

interface FeedItem {
  key: string;
  at: number;
  text: string;
  reason: string | null;
  kind: 'action' | 'alert' | 'admission';
}

const ADMISSION = new Set(['admit', 'admit-many']);

/**
 * The live feed, newest first, from the audit log. Admissions come in runs of dozens at the
 * start of a sitting: a run is one line whose count grows, so it never buries the rest.
 */
function feedItems(entries: readonly AuditEntry[], names: ReadonlyMap<number, ProctorRow>): FeedItem[] {
  const out: FeedItem[] = [];
  let run: { item: FeedItem; count: number } | null = null;
  for (const e of entries) {
    if (ADMISSION.has(e.action)) {
      const n = e.action === 'admit' ? 1 : Number((e.details as { candidates?: number } | null)?.candidates ?? 0);
      if (!run) {
        run = { item: { key: `a${e.id}`, at: e.at, text: '', reason: null, kind: 'admission' }, count: 0 };
        out.push(run.item);
      }
      run.count += n;
      run.item.at = e.at;
      run.item.text = `Izin mulai · ${run.count} peserta · oleh ${e.actorName}`;
      continue;
    }
    run = null;
    const who = e.candidateId !== null ? names.get(e.candidateId) : undefined;
    const { what, reason } = auditText(e);
    const by = e.actorRole === 'system' ? '' : ` · oleh ${e.actorName}`;
    out.push({ key: `a${e.id}`, at: e.at, kind: e.actorRole === 'system' ? 'alert' : 'action', text: `${what}${who ? ` · ${who.registrationNumber} ${who.name}` : ''}${by}`, reason });
  }
  return out.reverse();
}

export function Feed({ entries, names, timezone }: { entries: readonly AuditEntry[]; names: ReadonlyMap<number, ProctorRow>; timezone: string }) {
  const [query, setQuery] = useState('');
  const items = useMemo(() => feedItems(entries, names), [entries, names.size]);
  const q = query.trim().toLowerCase();
  const shown = q ? items.filter((f) => `${f.text} ${f.reason ?? ''}`.toLowerCase().includes(q)) : items;
  return (
    <aside class="feed" aria-labelledby="feed-title">
      <h2 id="feed-title">Catatan kejadian</h2>
      <input type="search" placeholder="Saring catatan" value={query} onInput={(e) => setQuery(e.currentTarget.value)} aria-label="Saring catatan" />
      <ol class="feed-list" data-testid="feed">
        {shown.slice(0, 200).map((f) => (
          <li key={f.key} class={`feed-${f.kind}`}>
            <time>{siteTime(f.at, timezone, true)}</time> {f.kind === 'alert' && <Icon name="alert" />} {f.text}
            {f.reason && <div class="reason">“{f.reason}”</div>}
          </li>
        ))}
      </ol>
    </aside>
  );
}
