import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ensureBuiltIns } from '../../server/src/services/admin.js';
import { browserSuite, shot } from '../helpers/browser.js';
import { expectAccessible } from '../helpers/axe.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { adminLogin } from './fixtures.js';

let server: TestServer | undefined;
const suite = browserSuite(async () => {
  await server?.close();
  server = undefined;
});

async function open(s: TestServer, who: { username: string; password: string }, viewport = { width: 1920, height: 1080 }): Promise<Page> {
  const page = await suite.page(s, viewport);
  await adminLogin(page, who);
  return page;
}

describe('admin console in Chromium', () => {
  it('is for admins: a proctor is sent to the proctor console', async () => {
    server = await startTestServer({ serveApps: true });
    const page = await open(server, server.proctor, { width: 1366, height: 768 });
    await page.waitForSelector('.banner.warning a[href="/proctor/"]');
    expect(await page.locator('.main-nav').count()).toBe(0);
  });

  it('edits a template by form, retires questions with a reason, changes a scheduled sitting, switches to English', async () => {
    server = await startTestServer({ serveApps: true, status: 'scheduled' });
    await ensureBuiltIns(server.store, server.clock.now);
    const page = await open(server, server.admin);

    // a copy of SKD with its own duration, a stricter TKP minimum and one more group
    await page.click('a[href="#/templates"]');
    await page.click('[data-template=skd] a:has-text("Salin")');
    await page.fill('input[name=id]', 'skd-2026');
    await page.fill('input[name=name]', 'SKD CPNS 2026');
    await page.fill('input[name=durationMinutes]', '90');
    await page.fill('input[aria-label="Minimal TKP umum"]', '170');
    await page.click('button:has-text("Tambah kelompok")');
    await page.fill('input[aria-label="Kelompok 7"]', 'tunanetra');
    await page.selectOption('select[aria-label="Memakai ambang batas 7"]', 'khusus-2024');
    // a tie-break naming no section is refused, with the field named
    await page.fill('input[name=tieBreak]', 'TKP, XYZ');
    await page.locator('input[name=tieBreak]').blur();
    await page.click('form button.primary[type=submit]');
    await page.waitForSelector('.banner.error li');
    expect(await page.locator('.banner.error').innerText()).toContain('tieBreak.1: unknown section XYZ');
    await shot(page, 'admin-console-01-template-error');
    await expectAccessible(page, 'admin-console-01-template-error');
    await page.fill('input[name=tieBreak]', 'TKP, TIU, TWK');
    await page.locator('input[name=tieBreak]').blur();
    await page.click('form button.primary[type=submit]');
    await page.waitForSelector('[data-template=skd-2026]');
    const saved = server.store.repos.templates.get('skd-2026')!;
    expect(saved).toMatchObject({ name: 'SKD CPNS 2026', durationMinutes: 90, tieBreak: ['TKP', 'TIU', 'TWK'] });
    expect(saved.thresholdSets[0].sectionMinimums).toEqual({ TWK: 65, TIU: 80, TKP: 170 });
    expect(saved.groups.tunanetra).toBe('khusus-2024');
    // the templates' tables stay inside their cards: the page is no wider than the screen, at 1366 too
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1366, height: 768 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    await shot(page, 'admin-console-02-templates');
    await expectAccessible(page, 'admin-console-02-templates');

    // retire two questions of the scheduled sitting's bank
    await page.click('a[href="#/banks"]');
    await page.click('a[href="#/banks/bank1"]');
    await page.waitForSelector('.question-card');
    await page.check('input[aria-label="Pilih A-t1-x-000"]');
    await page.check('input[aria-label="Pilih A-t1-x-001"]');
    await page.click('button:text-is("Arsipkan")');
    await page.fill('[role=dialog] textarea[name=reason]', 'soal bocor di media sosial');
    await shot(page, 'admin-console-03-retire');
    await expectAccessible(page, 'admin-console-03-retire');
    await page.click('[role=dialog] button.danger');
    await page.waitForSelector('.banner.ok');
    await page.waitForSelector('[data-question="A-t1-x-000"].is-retired');
    expect([...server.store.repos.banks.retiredIds('bank1')].sort()).toEqual(['A-t1-x-000', 'A-t1-x-001']);
    await page.selectOption('select[name=status]', 'retired');
    await expect.poll(() => page.locator('[data-testid=page-info]').innerText()).toBe('1–2 dari 2 soal');

    // change the scheduled sitting: another room and a seat grid
    await page.goto(`/admin/#/sittings/${server.sittingId}/settings`);
    await page.fill('input[name=room]', 'Aula Utama');
    await page.fill('input[name=roomRows]', '6');
    await page.fill('input[name=roomCols]', '10');
    await page.click('form button.primary[type=submit]');
    await page.waitForSelector('.banner.ok');
    expect(server.store.repos.sittings.get(server.sittingId)).toMatchObject({ room: 'Aula Utama', roomRows: 6, roomCols: 10 });
    await shot(page, 'admin-console-04-sitting-settings');
    await expectAccessible(page, 'admin-console-04-sitting-settings');

    // the same console in English
    await page.click('.topbar .lang button:text-is("EN")');
    await page.waitForSelector('.main-nav a:text-is("Question banks")');
    expect(await page.locator('h1').first().innerText()).toContain('Sesi Uji');
    expect(await page.locator('.tabs a.on').innerText()).toBe('Settings');
    await page.click('a[href="#/accounts"]');
    await page.waitForSelector('[data-account=other]');
    await page.click('[data-account=other] button:text-is("Disable")');
    await page.waitForSelector('[data-account=other] .badge:text-is("disabled")');
    expect(server.store.repos.accounts.byUsername('other')!.disabled).toBe(true);
    // the page says what was just done, in the console's language
    expect(await page.locator('.banner.ok').innerText()).toBe('Account other disabled: it can no longer log in.');
    await shot(page, 'admin-console-05-accounts-en');
    await expectAccessible(page, 'admin-console-05-accounts-en');
  });
});
