/**
 * npx tsx scripts/replay-speed.ts [--events 1000000]
 *
 * How long start-up takes to replay a sitting's answer events into memory. Seeds a sitting whose
 * candidates are all at their change cap (20 per item: 2,200 events each) until the events add
 * up, then times loading it as the server does at start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../server/src/config.js';
import { SKD_TEMPLATE } from '../server/src/contract/exam.js';
import { dealPaper } from '../server/src/domain/deal.js';
import type { WriteOp } from '../server/src/db/write-ops.js';
import { Registry } from '../server/src/engine/registry.js';
import { addCandidates, createSitting, ensureTemplate, importBank } from '../server/src/services/admin.js';
import { openStore } from '../server/src/services/store.js';
import { generatedBank } from './bench/seed.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' } } });
const EVENTS = Number(values.events);
const PER_CANDIDATE = 20 * 110;
const N = Math.ceil(EVENTS / PER_CANDIDATE);

const dir = mkdtempSync(join(tmpdir(), 'kaca-replay-'));
const config = parseConfig({ dataDir: dir, logLevel: 'silent' });
try {
  let store = openStore(config);
  const now = Date.now();
  await ensureTemplate(store, SKD_TEMPLATE, now);
  await importBank(store, { id: 'b', title: 'b', language: 'id', questions: generatedBank(2000) }, now);
  const sitting = await createSitting(store, { id: 's', name: 's', templateId: 'skd', bankId: 'b', site: 'x', room: 'x', scheduledStart: now, requireToken: false }, now, { tokenIntervalMinutes: 15 }, { status: 'running' });
  await addCandidates(store, 's', Array.from({ length: N }, (_, i) => ({ registrationNumber: `R${i}`, name: `C ${i}`, formation: 'F', group: 'umum', extraMinutes: 0 })), store.secret, now, () => '123456');
  const catalog = store.catalog.forSitting(sitting);
  const t0 = performance.now();
  let written = 0;
  for (const c of store.repos.candidates.listBySitting('s')) {
    const items = dealPaper(catalog.plan, sitting.seed, c.registrationNumber).items;
    const unit: WriteOp[] = [{ kind: 'paper', candidateId: c.id, items, dealtAt: now }];
    for (let k = 0; k < PER_CANDIDATE && written < EVENTS; k++, written++) {
      const item = k % 110;
      unit.push({ kind: 'answer', record: { candidateId: c.id, sittingId: sitting.id, item, kind: k < 110 ? 'select' : 'change', choice: k % 5, optionIndex: items[item].optionOrder[k % 5], clientSeq: k + 1, serverTs: now + k, scoreDelta: 0 } });
    }
    await store.writer.submit(unit);
  }
  process.stderr.write(`seeded ${written} events for ${N} candidates in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  await store.close();

  store = openStore(config);
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t1 = performance.now();
  const registry = new Registry(store);
  registry.loadSitting('s');
  const ms = performance.now() - t1;
  const heapMb = (process.memoryUsage().heapUsed - heap0) / 1e6;
  const sample = registry.examinee(store.repos.candidates.listBySitting('s')[0].id);
  process.stdout.write(`replayed ${written} events of ${N} candidates in ${Math.round(ms)} ms (${Math.round((written / ms) * 1000)} events/s), heap +${heapMb.toFixed(0)} MB; a candidate: ${sample.storedEvents} events, lastSeq ${sample.lastSeq}, answered ${sample.answered}\n`);
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
