// Export helpers (CSV from the spec's main dataset, file names, SVG/PNG from a live view) and the
// training monitor's live update path.
import { describe, expect, it } from 'vitest';
import { VIEWS, availableViews } from '../../../web/src/charts/index';
import { chartMeta, exportName, mainRows, specCsv, svgText } from '../../../web/src/charts/render';
import { trainingMonitorSpec } from '../../../web/src/charts/training';
import { makeResults } from './fixture';
import { compileSpec, markItemCount, runView } from './helpers';

describe('CSV', () => {
  it('every view exports its main dataset: a header and one line per row', () => {
    const results = makeResults();
    for (const v of availableViews(results)) {
      const spec = v.build(results, {});
      const rows = mainRows(spec);
      const csv = specCsv(spec);
      // Written by the one CSV writer (quoting, escaping and BOM are tested in tests/web/export/csv.test.ts).
      expect(csv.startsWith('\uFEFF'), v.id).toBe(true);
      const header = csv.slice(1).split('\r\n')[0];
      expect(header.split(','), v.id).toEqual(Object.keys(rows[0] ?? {}).length ? [...new Set(rows.flatMap((r) => Object.keys(r)))] : ['']);
      // Rows may contain quoted newlines only in text; the test data has none.
      expect(csv.trimEnd().split('\r\n').length, v.id).toBe(rows.length + 1);
      expect(chartMeta(spec)?.viewId).toBe(v.id);
    }
  });

  it('names files after the view and date', () => {
    const spec = VIEWS[0].build(makeResults(), {});
    expect(exportName(spec, new Date('2025-03-04T10:00:00Z'))).toBe('mmm-quality-2025-03-04');
  });
});

describe('images', () => {
  it('exports SVG and PNG data from a live view', async () => {
    const results = makeResults();
    const spec = VIEWS.find((v) => v.id === 'contribution-by-channel')!.build(results, {});
    const view = await runView(compileSpec(spec).vg);
    const svg = await svgText(view);
    expect(svg).toMatch(/^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    for (const c of results.channelNames) expect(svg).toContain(`>${c}</text>`);
    view.finalize();
  });
});

describe('training monitor', () => {
  const history = makeResults({ history: 50 }).history;

  it('builds for 0, 1 and many points and keeps the x axis fixed to the planned epochs', () => {
    for (const n of [0, 1, 2, 50]) {
      const spec = trainingMonitorSpec(history.slice(0, n), { totalEpochs: 200 });
      expect(compileSpec(spec).warnings, `n=${n}`).toEqual([]);
      expect(mainRows(spec)).toHaveLength(n);
      expect(JSON.stringify(spec)).toContain('"domain":[');
      expect((spec as { title: { text: string } }).title.text).toBe(`Training history (${n} epochs)`);
    }
  });

  it('draws both series in both panels and the best epoch', async () => {
    const view = await runView(compileSpec(trainingMonitorSpec(history.slice(0, 10), { totalEpochs: 50 })).vg);
    const marks = markItemCount(view).byType;
    expect(marks.symbol).toBe(40); // 2 panels x 2 series x 10 epochs
    expect(marks.rule).toBe(2); // best-epoch marker in both panels
    view.finalize();
  });

  it('uses a log loss axis only when every loss is positive', () => {
    const pos = JSON.stringify(trainingMonitorSpec(history));
    expect(pos).toContain('"type":"log"');
    const neg = history.map((h, i) => (i === 3 ? { ...h, valLoss: -1 } : h));
    expect(JSON.stringify(trainingMonitorSpec(neg))).not.toContain('"type":"log"');
    expect(JSON.stringify(trainingMonitorSpec(history, { logLoss: false }))).not.toContain('"type":"log"');
  });
});
