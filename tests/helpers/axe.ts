import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** axe-core's own script, as the package hands it out for injection into a page. */
const AXE_SOURCE: string = axe.source;

interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; html: string; summary: string }[];
}

/**
 * Runs axe-core on the page as it is now. The source goes in through the DevTools protocol
 * (page.evaluate), which the apps' Content-Security-Policy does not apply to, so the pages are
 * checked exactly as served. Besides the WCAG A/AA rules, label-content-name-mismatch runs
 * (an accessible name must contain the visible text: WCAG 2.5.3).
 */
async function axeFindings(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; html: string; failureSummary?: string }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'], rules: { 'label-content-name-mismatch': { enabled: true } } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), html: n.html.slice(0, 200), summary: n.failureSummary ?? '' })) }));
  });
}

/** Fails when axe finds any serious or critical violation; says which, where and why. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const bad = (await axeFindings(page)).filter((f) => f.impact === 'serious' || f.impact === 'critical');
  if (bad.length === 0) return;
  const text = bad.map((f) => `${f.id} (${f.impact}): ${f.help}\n${f.nodes.slice(0, 5).map((n) => `  ${n.target}: ${n.summary.replace(/\n/g, ' ')}`).join('\n')}`).join('\n');
  throw new Error(`axe on ${where}: ${bad.length} serious or critical violation(s)\n${text}`);
}
