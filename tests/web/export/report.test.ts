// The HTML report from a real fitted model: every available view is an inline SVG, the key
// figures are there, and nothing in it loads or runs anything (it must open offline from file://).
import { describe, expect, it } from 'vitest';
import { availableViews } from '../../../web/src/charts';
import { buildReportHtml } from '../../../web/src/export/report';
import { fitDemoModel } from '../charts/real-model';

const results = await fitDemoModel();

describe('HTML report', () => {
  it('inlines every available view as SVG with the key figures, and is self-contained', async () => {
    let calls = 0;
    const html = await buildReportHtml({ results, dataName: 'Example <data>', appVersion: '0.1.0', generatedAt: new Date('2026-01-02T03:04:05Z'), onView: () => calls++ });
    const views = availableViews(results);
    expect(calls).toBe(views.length);
    for (const v of views) expect(html).toContain(`id="view-${v.id}"`);
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(views.length);
    expect(html).toContain('Example &lt;data&gt;');
    expect(html).toContain(results.metrics.holdout.r2!.toFixed(3));
    expect(html).toMatch(/2026-01-02 03:04 UTC/);
    // Self-contained: no scripts, no external references.
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)=["']https?:/i);
    expect(html).not.toMatch(/@import|url\(http/i);
  }, 120_000);
});
