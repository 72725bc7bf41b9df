// axe-core for the browser tests. The page's CSP blocks injected <script> content, so axe is
// evaluated through the DevTools protocol (page.evaluate), which a CSP does not govern; the app
// keeps running under its real headers.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }

export const describeViolations = (vs: AxeViolation[]): string[] =>
  vs.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);

/** Serious and critical violations in `selector` (default: the whole document, open shadow roots
 * included); minor and moderate ones are logged. */
export async function axeViolations(target: Page | Frame, selector?: string): Promise<AxeViolation[]> {
  if (!(await target.evaluate(() => 'axe' in window))) await target.evaluate(axeSource);
  const all = await target.evaluate(async (sel) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(sel ? { include: [sel] } : document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target })) }));
  }, selector ?? null);
  const minor = all.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
  if (minor.length) console.log(`[a11y] minor/moderate: ${describeViolations(minor).join(' | ')}`);
  return all.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
