import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionLabel, auditText } from '../../proctor-console/src/proctor/labels.js';
import type { AuditEntry } from '../../server/src/contract/proctor.js';

const SERVER = join(import.meta.dirname, '../../server/src');
const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));

describe('audit entries in the consoles', () => {
  it('every action code the server writes has words (found in the server source, so a new one without words fails here)', () => {
    const codes = new Set<string>();
    for (const f of files(SERVER)) {
      const text = readFileSync(f, 'utf8');
      // audit(actor, now, 'code', ...), adminAudit(actor, now, cond ? 'a' : 'b', ...), auditRecord(actor, at, sitting, candidate, 'code', ...)
      for (const m of text.matchAll(/\b(?:audit|adminAudit|auditRecord)\(([^;]*?)\)/gs)) for (const c of m[1].matchAll(/'([a-z]+(?:-[a-z]+)*)'/g)) codes.add(c[1]);
      for (const m of text.matchAll(/'(sitting-(?:open|start|close))'/g)) codes.add(m[1]);
    }
    // words a call site passes that are not action codes (fixed reasons, detail keys)
    const notActions = new Set(['en', 'id']);
    const missing = [...codes].filter((c) => !notActions.has(c) && actionLabel(c) === c && !c.includes(' '));
    expect(codes.size).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it('an admin tool step says what it did from its details, not its stored English text', () => {
    const e = (action: string, details: unknown): AuditEntry => ({ id: 1, at: 0, actorName: 'Admin', actorRole: 'admin', action, reason: 'proctor assigned', details, candidateId: null, sittingId: 'demo' });
    expect(auditText(e('proctor-assign', { username: 'budi' }))).toEqual({ what: 'Pengawas ditugaskan: budi', reason: null });
    expect(auditText(e('candidates-import', { count: 40 }))).toEqual({ what: 'Daftar peserta dimuat (40 peserta)', reason: null });
    expect(auditText(e('sitting-update', { changed: ['room'] }))).toEqual({ what: 'Pengaturan sesi diubah', reason: null });
  });
});
