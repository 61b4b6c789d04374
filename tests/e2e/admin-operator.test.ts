import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { SKD_TEMPLATE } from '../../server/src/contract/exam.js';
import { OPTION_LETTERS } from '../../server/src/contract/question.js';
import { demoBank } from '../../question-bank/index.js';
import { bankProblemId } from '../../proctor-console/src/admin/bank-words.js';
import { exportQti, readBankBytes } from '../../question-bank/formats.js';
import { launch, shot } from '../helpers/browser.js';
import { expectAccessible } from '../helpers/axe.js';
import { kaca, startKaca, stop } from '../helpers/cli.js';
import { connect, connected, ok, postJson, waitForMatch } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';
import { verifyExport } from '../../server/src/domain/verify/verify.js';

/**
 * The whole operator path on an empty production database, through the admin console at /admin/
 * and the exam client at /, against `kaca start` as it is run for real.
 */

const tmp = tempDir('kaca-operator-');
let browser: Browser;
let child: ChildProcess | undefined;
let proctor: Socket | undefined;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  proctor?.disconnect();
  await browser?.close();
  if (child) await stop(child);
  tmp.cleanup();
});

/** The demo bank as a kaca-bank@1 file, with the mistakes authors make. */
function brokenBank(): { bytes: Buffer; expected: string[] } {
  const questions = demoBank(SKD_TEMPLATE).questions.map((q) => ({ id: q.id, section: q.section, topic: q.topic, difficulty: q.difficulty, stem: q.stem, options: q.options, ...(q.key !== undefined ? { key: OPTION_LETTERS[q.key] } : { weights: q.weights }) })) as Record<string, unknown>[];
  const twk = questions.filter((q) => q.section === 'TWK');
  const tkp = questions.filter((q) => q.section === 'TKP');
  twk[0].options = (twk[0].options as string[]).slice(0, 4);
  twk[1].key = 'F';
  twk[2].stem = '<p onclick="x()">Siapa?</p>';
  tkp[0].weights = [7, 5, 1, 2, 4];
  delete tkp[1].weights;
  twk[3].id = twk[4].id;
  twk[5].options = (twk[5].options as string[]).map((o, i) => (i === 1 ? `<p onclick="y()">${o}</p>` : o));
  const bytes = Buffer.from(JSON.stringify({ format: 'kaca-bank@1', id: 'skd-2025', title: 'Bank SKD 2025', questions }));
  const { report } = readBankBytes(bytes, 'skd-2025.json', { template: SKD_TEMPLATE });
  return { bytes, expected: report.errors.map((e) => e.message) };
}

async function field(page: Page, name: string, value: string) {
  await page.fill(`[name="${name}"]`, value);
}

describe('operator path: empty production database to results', () => {
  it('admin by CLI, bank with errors then QTI, sitting with token and admission, roster and cards, a candidate sits, results download', async () => {
    const env = { DATA_DIR: tmp.dir, NODE_ENV: 'production' };
    // (1) the first admin, made with the CLI on an empty database
    const made = kaca(['admin', 'add', 'operator', '--name', 'Operator BKN'], env);
    expect(made.code).toBe(0);
    const password = /password: (\S+)/.exec(made.stdout)![1];
    const started = await startKaca(env);
    child = started.child;
    const url = started.baseUrl;
    expect(started.output()).toContain('Admin console:');
    expect(started.output()).not.toMatch(/Demo sitting/);

    // (2) log in at /admin/ and upload a bank with errors: every error is shown
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, baseURL: url, acceptDownloads: true });
    const page = await context.newPage();
    page.on('pageerror', (e) => {
      throw e;
    });
    await page.goto('/admin/');
    await field(page, 'username', 'operator');
    await field(page, 'password', password);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=bank-report], .empty, [data-testid=banks]');
    const broken = brokenBank();
    expect(broken.expected.length).toBe(7);
    await page.setInputFiles('input[name=bank]', { name: 'skd-2025.json', mimeType: 'application/json', buffer: broken.bytes });
    await page.click('form button[type=submit]');
    await page.waitForSelector('[data-testid=bank-report]');
    await expect.poll(() => page.locator('.problems.errors tbody tr').count()).toBe(broken.expected.length);
    const shown = await page.locator('.problems.errors tbody').innerText();
    // in the console's language: the server words its report in English, the console says it in Indonesian
    for (const message of broken.expected) expect(shown).toContain(bankProblemId(message));
    expect(shown).toContain('kunci F tidak menunjuk pilihan mana pun (ada 5 pilihan)');
    expect(shown).not.toContain('names no option');
    // an option is named by its letter, beside the list's 0-based index
    expect(shown).toContain('pilihan B (options[1])');
    expect(await page.locator('.banner.error').first().innerText()).toContain('7 kesalahan');
    await shot(page, 'admin-01-bank-errors');
    await expectAccessible(page, 'admin-01-bank-errors');

    // (3) fixed, as a QTI 3.0 package
    const zip = exportQti({ ...demoBank(SKD_TEMPLATE), id: 'skd-2025', title: 'Bank SKD 2025' });
    await page.setInputFiles('input[name=bank]', { name: 'skd-2025.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
    await page.click('form button[type=submit]');
    await page.waitForSelector('.banner.ok');
    expect(await page.locator('.banner.ok').innerText()).toContain('skd-2025');
    await page.waitForSelector('[data-testid=banks] a[href="#/banks/skd-2025"]');
    await page.click('a[href="#/banks/skd-2025"]');
    await page.waitForSelector('.question-card .katex');
    await page.fill('input[name=q]', 'svg');
    await page.click('form[role=search] button[type=submit]');
    await page.waitForSelector('.question-card .stem img[src^="data:image/svg+xml"]');
    await shot(page, 'admin-02-bank-browse');
    await expectAccessible(page, 'admin-02-bank-browse');

    // (4) a proctor, a sitting with token and admission, a roster with a wrong group then right, the cards
    await page.click('a[href="#/accounts"]');
    await field(page, 'username', 'pengawas1');
    await field(page, 'displayName', 'Pengawas Satu');
    const proctorPassword = await page.inputValue('input[name=password]');
    await page.click('form button.primary');
    await page.waitForSelector('[data-account=pengawas1]');
    expect(await page.locator('.banner.ok').innerText()).toContain(proctorPassword);

    await page.click('a[href="#/sittings"]');
    await page.click('a[href="#/sittings/new"]');
    await field(page, 'id', 'cat-2025-1');
    await field(page, 'name', 'SKD CPNS 2025 Sesi 1');
    await page.selectOption('select[name=bankId]', 'skd-2025');
    await field(page, 'site', 'Kantor Regional I BKN Yogyakarta');
    await field(page, 'room', 'Ruang CAT A');
    // a start that has passed is taken, with a warning (a wrong year, a wrong zone)
    await field(page, 'start', '2020-01-06T07:30');
    expect(await page.locator('[data-testid=start-past]').innerText()).toMatch(/^Waktu ini sudah lewat \(\d+ hari yang lalu\)/);
    await field(page, 'start', '2099-01-05T07:30');
    await page.locator('[data-testid=start-past]').waitFor({ state: 'detached' });
    await field(page, 'start', '2026-12-01T07:30');
    await page.selectOption('select[name=timezone]', 'Asia/Makassar');
    expect(await page.isChecked('input[name=requireToken]')).toBe(true);
    expect(await page.isChecked('input[name=requireAdmission]')).toBe(true);
    await field(page, 'roomRows', '4');
    await field(page, 'roomCols', '5');
    await field(page, 'formation-0', 'Analis Kebijakan Ahli Pertama');
    await field(page, 'vacancies-0', '1');
    await shot(page, 'admin-03-sitting-form');
    await expectAccessible(page, 'admin-03-sitting-form');
    await page.click('form button.primary[type=submit]');
    await page.waitForSelector('textarea[name=csv]');
    expect(page.url()).toContain('#/sittings/cat-2025-1/roster');

    const rows = ['no_peserta,nama,formasi,kelompok,kursi', '25110001,"Sari, Dewi Lestari",Analis Kebijakan Ahli Pertama,umum,1', '25110002,Budi Santoso,Analis Kebijakan Ahli Pertama,tunanetra,2', '25110003,Rina Wati,Analis Kebijakan Ahli Pertama,cumlaude,2-3'];
    await page.fill('textarea[name=csv]', rows.join('\n'));
    await page.click('button:text-is("Periksa")');
    await page.waitForSelector('[data-testid=roster-preview] tr.row-error');
    // the check's finding in the console's language
    expect(await page.locator('tr.row-error').innerText()).toContain('kelompok "tunanetra" tidak ada di templat skd');
    // the row with a problem comes first, above the good ones (line 3 of the file)
    expect(await page.locator('[data-testid=roster-preview] tbody tr').first().locator('td').first().innerText()).toBe('3');
    expect(await page.locator('button.primary:has-text("Impor")').isDisabled()).toBe(true);
    await shot(page, 'admin-04-roster-errors');
    await expectAccessible(page, 'admin-04-roster-errors');
    await page.fill('textarea[name=csv]', rows.join('\n').replace('tunanetra', 'disabilitas'));
    await page.click('button:text-is("Periksa")');
    await page.waitForSelector('[data-testid=roster-preview]:not(:has(tr.row-error))');
    await page.click('button.primary:has-text("Impor 3 peserta")');
    await page.waitForSelector('[data-testid=cards] .candidate-card');
    expect(await page.locator('.candidate-card').count()).toBe(3);
    const first = page.locator('.candidate-card[data-registration="25110001"]');
    const pin = (await first.locator('[data-testid=pin]').innerText()).trim();
    expect(pin).toMatch(/^\d{6}$/);
    expect(await first.innerText()).toContain('WITA');
    await shot(page, 'admin-05-cards');
    await expectAccessible(page, 'admin-05-cards');
    await page.emulateMedia({ media: 'print' });
    await shot(page, 'admin-06-cards-print');
    await page.emulateMedia({ media: 'screen' });
    await page.click('button:has-text("Selesai")');

    await page.click('a[href="#/sittings/cat-2025-1/proctors"]');
    const pengawas = await page.locator('select[name=proctor] option', { hasText: 'pengawas1' }).getAttribute('value');
    await page.selectOption('select[name=proctor]', pengawas!);
    await page.click('form button[type=submit]:has-text("Tugaskan")');
    await page.waitForSelector('[data-testid=proctors] li:has-text("pengawas1")');

    // (5) the proctor opens the sitting; the candidate logs in with the token, is admitted, sits
    const staff = await postJson<{ session: string }>(`${url}/api/auth/login`, { username: 'pengawas1', password: proctorPassword });
    expect(staff.status).toBe(200);
    proctor = connect(url, '/proctor', { session: staff.body.session });
    await connected(proctor);
    await ok(proctor, 'sitting:watch', { sittingId: 'cat-2025-1' });
    await ok(proctor, 'sitting:open', { sittingId: 'cat-2025-1', reason: 'peserta memasuki ruangan' });
    const { token } = await ok<{ token: string }>(proctor, 'token:show', { sittingId: 'cat-2025-1' });
    const cand = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, baseURL: url })).newPage();
    await cand.goto('/');
    await cand.fill('input[name=registrationNumber]', '25110001');
    await cand.fill('input[name=pin]', pin);
    await cand.fill('input[name=token]', token);
    const waiting = waitForMatch<{ rows: { id: number; status: string; registrationNumber: string }[] }>(proctor, 'candidates:updated', (p) => p.rows.some((r) => r.registrationNumber === '25110001' && r.status === 'waiting'));
    await cand.click('button[type=submit]');
    const row = (await waiting).rows.find((r) => r.registrationNumber === '25110001')!;
    await ok(proctor, 'candidate:admit', { sittingId: 'cat-2025-1', candidateId: row.id, reason: 'KTP sesuai kartu peserta' });
    await ok(proctor, 'sitting:start', { sittingId: 'cat-2025-1', reason: 'ujian dimulai' });
    await cand.waitForSelector('.confirm');
    await cand.check('.agree input');
    await cand.click('.confirm button.primary');
    await cand.waitForSelector('.question-panel');
    for (let i = 0; i < 5; i++) {
      await cand.locator('.option').nth(i % 5).click();
      await cand.waitForSelector('[data-testid=save-state].saved');
      await cand.click('.q-nav button.primary');
    }
    await cand.click('button.finish-btn');
    await cand.click('[role=dialog] button.danger');
    await cand.waitForSelector('.result');
    const total = (await cand.locator('[data-section=total]').innerText()).trim();
    await ok(proctor, 'sitting:close', { sittingId: 'cat-2025-1', reason: 'sesi selesai' });

    // the results, on screen and as CSV, equal what the database holds
    await page.goto('/admin/#/sittings/cat-2025-1/results');
    await page.waitForSelector('.results table');
    await shot(page, 'admin-07-results');
    await expectAccessible(page, 'admin-07-results');
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("Unduh CSV")')]);
    const csv = readFileSync((await file.path())!, 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('formation,rank,registration_number,name,group,twk,tiu,tkp,total,passed,next_stage,status,receipt_id');
    const line = csv.find((l) => l.includes('25110001'))!.split(',');
    const db = new Database(join(tmp.dir, 'kaca.db'), { readonly: true });
    const stored = db.prepare("select r.total, r.receipt_id from results r join candidates c on c.id = r.candidate_id where c.registration_number = '25110001'").get() as { total: number; receipt_id: string };
    const groups = db.prepare("select registration_number, group_name from candidates where sitting_id = 'cat-2025-1' order by registration_number").all();
    db.close();
    expect(String(stored.total)).toBe(total);
    // the public export of the closed sitting, from the console, is one anyone can verify
    await page.goto('/admin/#/sittings/cat-2025-1');
    const [exported] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=public-export]')]);
    expect(exported.suggestedFilename()).toBe('kaca-export-cat-2025-1.json');
    const report = verifyExport(JSON.parse(readFileSync((await exported.path())!, 'utf8')));
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    // five answers pass no threshold: the verdict, the cut-off and the receipt are the stored ones
    expect(line.slice(-5)).toEqual([total, 'no', 'no', 'finished', stored.receipt_id]);
    expect(groups).toEqual([
      { registration_number: '25110001', group_name: 'umum' },
      { registration_number: '25110002', group_name: 'disabilitas' },
      { registration_number: '25110003', group_name: 'cumlaude' },
    ]);
    await page.goto('/admin/#/audit');
    await page.waitForSelector('[data-testid=audit] tbody tr');
    // each action in words, its stored code on hover
    const actions = await page.locator('[data-testid=audit] td[data-action]').evaluateAll((tds) => tds.map((td) => td.getAttribute('title')));
    expect(actions).toEqual(expect.arrayContaining(['bank-import', 'account-create', 'sitting-create', 'candidates-import', 'proctor-assign', 'sitting-open', 'sitting-start', 'sitting-close']));
    const words = await page.locator('[data-testid=audit] td:nth-child(3)').allInnerTexts();
    for (const w of ['Bank soal dimuat', 'Akun dibuat', 'Sesi dibuat', 'Daftar peserta dimuat', 'Pengawas ditugaskan', 'Sesi dibuka', 'Ujian dimulai', 'Sesi ditutup']) expect(words).toContain(w);
    // the admission names its candidate, by number and name
    expect(await page.locator('[data-testid=audit] tr:has(td[data-action="admit"]) td:nth-child(5)').innerText()).toBe('25110001 Sari, Dewi Lestari');
    // details in words: no stored JSON, no code names, a status change says from what to what
    const details = await page.locator('[data-testid=audit] td:nth-child(7)').allInnerTexts();
    for (const d of details) {
      expect(d).not.toContain('{');
      expect(d).not.toMatch(/\b[a-z]+[A-Z]\w*:/);
    }
    expect(await page.locator('[data-testid=audit] tr:has(td[data-action="sitting-open"]) td:nth-child(7)').innerText()).toBe('Dari: Terjadwal\nMenjadi: Dibuka');
    expect(await page.locator('[data-testid=audit] tr:has(td[data-action="candidates-import"]) td:nth-child(7)').innerText()).toMatch(/^Jumlah: \d+$/);
    // the filter offers the actions in words and shows only the one chosen
    await page.selectOption('select[name=action]', 'sitting-close');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=audit] td[data-action]')].every((td) => td.getAttribute('data-action') === 'sitting-close'));
    expect(await page.locator('[data-testid=audit] tbody tr').count()).toBe(1);
    await page.selectOption('select[name=action]', '');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=audit] tbody tr').length > 1);
    // an entry's details wrap in their cell: the page is no wider than the screen
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(await page.evaluate(() => window.innerWidth));
    await shot(page, 'admin-08-audit');
    await expectAccessible(page, 'admin-08-audit');
  }, 240_000);
});
