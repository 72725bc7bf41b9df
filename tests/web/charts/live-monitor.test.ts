// The live training monitor's geometry, from a real fit's history (wasm core in Node).
import { beforeAll, describe, expect, it } from 'vitest';
import { livePanels } from '../../../web/src/charts/live-monitor';
import type { EpochPoint, ModelResults } from '../../../web/src/engine/results';
import { fitDemoModel } from './real-model';

describe('live training monitor', () => {
  let results: ModelResults;
  beforeAll(async () => {
    results = await fitDemoModel();
  });

  const coords = (d: string) => [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);

  it('draws loss and R² for training and validation inside the plot, x fixed to the planned epochs', () => {
    const h = results.history;
    expect(h.length).toBeGreaterThan(20);
    const total = 2 * h[h.length - 1].epoch;
    const panels = livePanels(h, total, 400, 240);
    expect(panels.map((p) => p.title)).toEqual([expect.stringMatching(/^Loss/), 'R²']);
    for (const p of panels) {
      for (const line of p.lines) {
        expect(line.points, `${p.title} ${line.series}`).toBeGreaterThan(10);
        for (const [x, y] of coords(line.d)) {
          expect(x).toBeGreaterThanOrEqual(p.plot.left - 0.05);
          expect(x).toBeLessThanOrEqual(p.plot.right + 0.05);
          expect(y).toBeGreaterThanOrEqual(p.plot.top - 0.05);
          expect(y).toBeLessThanOrEqual(p.plot.bottom + 0.05);
        }
      }
      // The last point sits about half way: the x axis runs to the planned epochs, not the last one.
      const last = coords(p.lines[0].d).at(-1)!;
      const mid = (p.plot.left + p.plot.right) / 2;
      expect(Math.abs(last[0] - mid)).toBeLessThan(0.05 * (p.plot.right - p.plot.left));
      expect(p.yTicks.length).toBeGreaterThanOrEqual(2);
      expect(p.xTicks.length).toBeGreaterThan(1);
    }
    // R² rises over training: the last training R² is drawn higher (smaller y) than the first.
    const r2 = coords(panels[1].lines[0].d);
    expect(r2.at(-1)![1]).toBeLessThan(r2[0][1]);
  });

  it('thins long runs to at most one point per pixel column', () => {
    const h = results.history;
    const long: EpochPoint[] = Array.from({ length: 5000 }, (_, i) => ({ ...h[i % h.length], epoch: i }));
    const [loss] = livePanels(long, 5000, 300, 200);
    const plotWidth = loss.plot.right - loss.plot.left;
    for (const line of loss.lines) expect(line.points).toBeLessThanOrEqual(plotWidth + 1);
  });

  it('starts empty, breaks lines at missing values and uses a linear loss axis when a loss is not positive', () => {
    expect(livePanels([], 100, 300, 200).every((p) => p.lines.every((l) => l.d === ''))).toBe(true);
    const h = results.history.slice(0, 6).map((p, i) => ({ ...p, valLoss: i === 3 ? Number.NaN : p.valLoss }));
    const [loss] = livePanels(h, 100, 300, 200);
    expect(loss.lines[1].d.match(/M/g)).toHaveLength(2);
    const neg = results.history.slice(0, 6).map((p, i) => ({ ...p, trainLoss: i === 2 ? -0.5 : p.trainLoss }));
    expect(livePanels(neg, 100, 300, 200)[0].title).toBe('Loss');
  });
});
