// Large models stay fast: 200 regions × 260 weeks × 50 channels. Specs are aggregated in
// TypeScript, so every dataset stays compact and every view builds, compiles and runs quickly.
import { describe, expect, it } from 'vitest';
import { availableViews } from '../../../web/src/charts/index';
import { makeResults } from './fixture';
import { compileSpec, markItemCount, runView } from './helpers';

const MAX_ROWS = 20_000;

describe('200 regions × 260 weeks × 50 channels', () => {
  const results = makeResults({ regions: 200, weeks: 260, channels: 50, controls: 4, history: 400 });

  it('builds every view with compact data', () => {
    const times: Record<string, number> = {};
    for (const v of availableViews(results)) {
      const t0 = performance.now();
      const spec = v.build(results, { width: 1200 }) as unknown as { datasets: Record<string, unknown[]> };
      times[v.id] = performance.now() - t0;
      let rows = 0;
      for (const [name, ds] of Object.entries(spec.datasets)) {
        expect(ds.length, `${v.id}/${name}`).toBeLessThanOrEqual(MAX_ROWS);
        rows += ds.length;
      }
      expect(rows, v.id).toBeGreaterThan(0);
      expect(JSON.stringify(spec).length, `${v.id} spec size`).toBeLessThan(4_000_000);
    }
    // Generous bound for slow CI machines; typically well under 100 ms per view.
    for (const [id, ms] of Object.entries(times)) expect(ms, id).toBeLessThan(3000);
  }, 120_000);

  it('compiles and renders the heaviest views headless', async () => {
    for (const id of ['contributions-over-time', 'scaled-inputs', 'coefficients', 'holdout-scatter', 'dag-network', 'effectiveness', 'regions']) {
      const v = availableViews(results).find((x) => x.id === id)!;
      const t0 = performance.now();
      const { vg, warnings } = compileSpec(v.build(results, {}));
      expect(warnings, id).toEqual([]);
      const view = await runView(vg);
      expect(markItemCount(view).items, id).toBeGreaterThan(0);
      view.finalize();
      expect(performance.now() - t0, id).toBeLessThan(20_000);
    }
  }, 180_000);
});
