import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserSuite, shot } from '../helpers/browser.js';
import { expectAccessible } from '../helpers/axe.js';
import { ok, staffSocket, startTestServer, type TestServer } from '../helpers/server.js';
import { answerHonestly, seatEveryone } from '../helpers/sitting-sim.js';
import { addSitting, adminLogin } from './fixtures.js';

let server: TestServer | undefined;
const suite = browserSuite(async () => {
  await server?.close();
  server = undefined;
});
const sockets = suite.sockets;

async function adminPage(s: TestServer, hash: string): Promise<Page> {
  const page = await suite.page(s);
  await adminLogin(page, s.admin, hash);
  return page;
}

const roster = (n: number) => Array.from({ length: n }, (_, i) => ({ registrationNumber: `2460${String(1001 + i)}`, name: `Peserta ${i + 1}`, formation: 'Analis Kebijakan Ahli Pertama', seat: `${'AB'[Math.floor(i / 8)]}-${(i % 8) + 1}` }));

describe('the analysis page of the admin console in Chromium', () => {
  it('shows item statistics with drawn charts and sortable tables, live while a sitting runs, and the similarity panel once it is closed', { timeout: 120_000 }, async () => {
    server = await startTestServer({ demo: true, candidates: 1, serveApps: true });
    const s = server;
    const pins = await addSitting(s, { id: 'ruang-analisis', name: 'Sesi analisis', templateId: 'skd', bankId: 'demo-skd', roomRows: 2, roomCols: 8, status: 'running' }, roster(16));
    const people = await seatEveryone(s, pins, sockets);
    await answerHonestly(s, people, 'demo-skd', 'analysis-page');

    // while it runs: live figures, marked as such
    const page = await adminPage(s, '#/analysis?sitting=ruang-analisis');
    await page.waitForSelector('.badge.live');
    expect(await page.locator('section.card h2').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('TWK'), expect.stringContaining('TIU'), expect.stringContaining('TKP'), 'Kemiripan jawaban']));
    expect(await page.locator('.similarity').textContent()).toContain('setelah sesi ditutup');

    const proctor = await staffSocket(s, s.proctor.username, s.proctor.password);
    sockets.push(proctor.socket);
    await ok(proctor.socket, 'sitting:close', { sittingId: 'ruang-analisis', reason: 'selesai' });
    await page.reload();
    await page.waitForSelector('.similarity p:has-text("pasangan dari 16 peserta")');
    expect(await page.locator('.badge.live').count()).toBe(0);
    // two drawn charts per section (histogram and scatter), each with a text alternative
    const charts = page.locator('svg.chart[role=img]');
    expect(await charts.count()).toBe(6);
    expect(await charts.first().getAttribute('aria-label')).toMatch(/Histogram nilai total TWK: 16 peserta/);
    const twk = page.locator('section.card', { has: page.locator('h2:has-text("TWK")') });
    // every item of the section has a point in the scatter and a row in the table
    const rows = twk.locator('table.items-table tbody tr');
    const n = await rows.count();
    expect(n).toBeGreaterThan(20);
    expect(await twk.locator('svg .c-dot').count()).toBe(n);

    // sort by facility: ascending, then descending, with aria-sort saying so
    const pHeader = twk.locator('th', { has: page.locator('button:has-text("p")') }).first();
    await pHeader.locator('button').click();
    expect(await pHeader.getAttribute('aria-sort')).toBe('descending');
    const facilities = async () => (await rows.locator('td:nth-child(3)').allTextContents()).map(Number);
    const down = await facilities();
    expect(down).toEqual([...down].sort((a, b) => b - a));
    await pHeader.locator('button').click();
    expect(await pHeader.getAttribute('aria-sort')).toBe('ascending');
    const up = await facilities();
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(up[0]).toBeLessThan(up[up.length - 1]);

    // thin items are said to be thin; the pairs closest to chance are there for comparison
    expect(await twk.locator('.banner.info').textContent()).toMatch(/kurang dari 30 peserta/);
    expect(await page.locator('.similarity details.closest summary').textContent()).toMatch(/pasangan dengan peluang terkecil/);
    // nothing hidden spills out of the page: it is as tall as its content
    const { scroll, bottom } = await page.evaluate(() => ({ scroll: document.documentElement.scrollHeight, bottom: document.querySelector('main')!.getBoundingClientRect().bottom + window.scrollY }));
    expect(scroll).toBeLessThanOrEqual(bottom + 40);

    await expectAccessible(page, 'admin analysis page');
    await shot(page, 'admin-analysis');
    // a phone: no sideways scrolling of the page itself (wide tables scroll in their own box)
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'admin-analysis-phone');
    await page.setViewportSize({ width: 1366, height: 768 });

    // the bank view over its closed sittings, reached from the bank's own page
    await page.goto('/admin/#/banks/demo-skd');
    await page.click('main a[href="#/analysis?bank=demo-skd"]');
    await page.waitForSelector('p:has-text("16 peserta dari 1 sesi")');
    expect(await page.locator('svg.chart[role=img]').count()).toBe(6);
    expect(await page.locator('.similarity').count()).toBe(0);
    // a long section shows its first hundred items in the chosen order, and the rest on request
    const tiu = page.locator('section.card', { has: page.locator('h2:has-text("TIU")') });
    const total = Number(/\((\d+)\)/.exec((await tiu.locator('table.items-table caption').textContent()) ?? '')![1]);
    expect(total).toBeGreaterThan(100);
    expect(await tiu.locator('table.items-table tbody tr').count()).toBe(100);
    await tiu.locator('button:has-text("Tampilkan semua")').click();
    expect(await tiu.locator('table.items-table tbody tr').count()).toBe(total);
    await expectAccessible(page, 'admin analysis page, bank');
  });
});
