import type { Page } from 'playwright-core';
import { SKD_TEMPLATE, type ExamTemplate } from '../../server/src/contract/exam.js';
import type { CandidateInput } from '../../server/src/contract/admin.js';
import { addCandidates, createSitting, ensureTemplate, type IssuedPin } from '../../server/src/services/admin.js';
import type { TestServer } from '../helpers/server.js';

/** Adds a sitting to a running test server, as an admin would, with its roster. */
export async function addSitting(
  s: TestServer,
  sitting: { id: string; name: string; templateId?: string; bankId?: string; status?: 'scheduled' | 'open' | 'running'; requireAdmission?: boolean; roomRows?: number; roomCols?: number; timezone?: 'Asia/Jakarta' | 'Asia/Makassar' | 'Asia/Jayapura'; revealPolicy?: 'on-finish' | 'live'; vacancies?: Record<string, number>; scheduledStart?: number },
  roster: Omit<CandidateInput, 'group' | 'extraMinutes'>[] & Partial<CandidateInput>[],
): Promise<IssuedPin[]> {
  const { store } = s;
  await createSitting(
    store,
    {
      id: sitting.id,
      name: sitting.name,
      templateId: sitting.templateId ?? s.template.id,
      bankId: sitting.bankId ?? store.repos.banks.list()[0].id,
      site: 'Kantor Regional Uji',
      room: 'Ruang CAT 2',
      scheduledStart: sitting.scheduledStart ?? s.clock.now,
      seed: `seed-${sitting.id}`,
      requireToken: false,
      requireAdmission: sitting.requireAdmission ?? false,
      practice: false,
      revealPolicy: sitting.revealPolicy ?? 'on-finish',
      roomRows: sitting.roomRows,
      roomCols: sitting.roomCols,
      timezone: sitting.timezone ?? 'Asia/Jakarta',
      vacancies: sitting.vacancies ?? {},
    },
    s.clock.now,
    { tokenIntervalMinutes: 15 },
    { status: sitting.status ?? 'running' },
  );
  const pins = await addCandidates(store, sitting.id, roster.map((c) => ({ group: 'umum', extraMinutes: 0, ...c })), store.secret, s.clock.now, (c) => `${c.registrationNumber.slice(-4)}99`);
  // proctors of the test server's sitting run this one too
  const proctor = store.repos.accounts.byUsername(s.proctor.username)!;
  await store.writer.submit([{ kind: 'proctor-assignment', sittingId: sitting.id, accountId: proctor.id, assigned: true }]);
  await s.app.engine.sittings.rosterChanged(sitting.id);
  return pins;
}

/** SKD with every question of the demo bank on one paper: a candidate sees every demo item. */
export async function everyDemoItemTemplate(s: TestServer): Promise<ExamTemplate> {
  const counts = new Map<string, number>();
  for (const q of s.store.repos.banks.questions('demo-skd')) counts.set(q.section, (counts.get(q.section) ?? 0) + 1);
  const template: ExamTemplate = { ...SKD_TEMPLATE, id: 'skd-semua', name: 'SKD, semua soal demo', durationMinutes: 600, sections: SKD_TEMPLATE.sections.map((x) => ({ ...x, questionCount: counts.get(x.id)! })) };
  await ensureTemplate(s.store, template, s.clock.now);
  return template;
}

/** Logs a candidate in through the exam client's login form. */
export async function examLogin(page: Page, reg: string, pin: string): Promise<void> {
  await page.goto('/');
  await page.fill('input[name=registrationNumber]', reg);
  await page.fill('input[name=pin]', pin);
  await page.click('button[type=submit]');
}

/** Logs a proctor in and opens a sitting's room. */
export async function proctorLogin(page: Page, s: TestServer, sittingId = s.sittingId): Promise<void> {
  await page.goto('/proctor/');
  await page.fill('input[name=username]', s.proctor.username);
  await page.fill('input[name=password]', s.proctor.password);
  await page.click('button[type=submit]');
  await page.click(`a[href="#/sitting/${sittingId}"]`);
  await page.waitForSelector('.room-body');
}

/** Logs in at the admin console (`hash`: where to land, e.g. `#/analysis?bank=x`). */
export async function adminLogin(page: Page, who: { username: string; password: string }, hash = ''): Promise<void> {
  await page.goto(`/admin/${hash}`);
  await page.fill('input[name=username]', who.username);
  await page.fill('input[name=password]', who.password);
  await page.click('button[type=submit]');
}
