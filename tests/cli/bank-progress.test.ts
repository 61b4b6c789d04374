import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { bigSkdBank } from '../../scripts/bench/big-bank.js';
import { kaca } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('kaca-cli-bank-');
afterAll(() => tmp.cleanup());

describe('kaca import-bank on a big bank', () => {
  it('says what it is doing, step by step, and stores every question', () => {
    const file = join(tmp.dir, 'besar.json');
    const { doc, questions } = bigSkdBank('besar', 3);
    writeFileSync(file, doc);
    const r = kaca(['import-bank', file, '--template', 'skd'], { DATA_DIR: tmp.dir });
    expect(r.stderr).toMatch(new RegExp(`^reading and checking .*besar\\.json \\(3\\.0 MB\\)\\.\\.\\.\\n`));
    expect(r.stderr).toMatch(new RegExp(`reading and checking .*: ${questions} questions, 0 errors, 0 warnings in \\d+\\.\\d s\\n`));
    expect(r.stderr).toMatch(new RegExp(`storing bank besar: ${questions} questions in \\d+\\.\\d s\\n`));
    expect(r.stdout).toContain(`imported bank besar: ${questions} questions (TWK `);
    expect(r.code).toBe(0);
    const db = new Database(join(tmp.dir, 'kaca.db'), { readonly: true });
    expect(db.prepare("select count(*) as n from questions where bank_id = 'besar'").get()).toEqual({ n: questions });
    db.close();
  });
});
