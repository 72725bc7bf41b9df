// View 21 (demo data only): what the model recovered vs the simulation's truth — contribution
// shares, ROI and DAG edges, as paired dot plots.
import type { TopLevelSpec } from 'vega-lite';
import { componentTotals } from './data';
import type { ModelResults } from '../engine/results';
import { asSpec, frame, panelWidth } from './spec';
import { ACCENT, INK, formatPct, kpiLabel, num, spendLabel } from './theme';
import type { ViewOptions } from './types';

const PAIR = { domain: ['True', 'Recovered'], range: [INK, ACCENT] };

export function truthSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const truth = results.truth;
  if (!truth) throw new Error('truthSpec: results.truth is null (check available() first)');
  const kpi = kpiLabel(options);
  const money = spendLabel(options);
  const econ = new Map(results.economics.map((e) => [e.channel, e]));
  const idx = new Map(results.channelNames.map((n, i) => [n, i]));
  const rows: Record<string, unknown>[] = [];
  // Recovered shares come from the economics when present, else straight from the decomposition.
  const totals = componentTotals(results, { from: 0, to: results.shape.weeks });
  for (const t of truth.channels) {
    const e = econ.get(t.channel);
    const c = idx.get(t.channel);
    const decomposed = c !== undefined && totals.mediaTotal !== 0 ? totals.media[c] / totals.mediaTotal : NaN;
    rows.push({ panel: 'share', item: t.channel, true: num(t.share), recovered: num(e?.share ?? decomposed) });
  }
  const withRoi = truth.channels.filter((t) => Number.isFinite(t.roi) && t.roi !== 0 && econ.get(t.channel)?.roi != null);
  for (const t of withRoi) rows.push({ panel: 'roi', item: t.channel, true: num(t.roi), recovered: num(econ.get(t.channel)?.roi ?? NaN) });
  const C = results.shape.channels;
  const pairs = new Map<string, { from: string; to: string; t: number; r: number }>();
  for (const e of truth.edges) {
    const a = idx.get(e.from);
    const b = idx.get(e.to);
    pairs.set(`${e.from}→${e.to}`, { from: e.from, to: e.to, t: e.strength, r: a !== undefined && b !== undefined ? results.adjacency[a * C + b] : NaN });
  }
  for (let a = 0; a < C; a++)
    for (let b = 0; b < C; b++) {
      const s = results.adjacency[a * C + b];
      const key = `${results.channelNames[a]}→${results.channelNames[b]}`;
      if (a !== b && s >= 0.3 && !pairs.has(key)) pairs.set(key, { from: results.channelNames[a], to: results.channelNames[b], t: 0, r: s });
    }
  const edgeRows = [...pairs.entries()].sort((p, q) => q[1].t - p[1].t || q[1].r - p[1].r).slice(0, 30);
  for (const [key, e] of edgeRows) rows.push({ panel: 'edge', item: key, true: num(e.t), recovered: num(e.r) });
  const w = panelWidth(options, 1, 0, 60);
  const panel = (name: string, title: string, xTitle: string, format: string, n: number) => {
    const order = rows.filter((r) => r.panel === name).sort((a, b) => ((b.true as number) ?? 0) - ((a.true as number) ?? 0)).map((r) => r.item as string);
    const tooltip = [
      { field: 'item', type: 'nominal', title: name === 'edge' ? 'Edge' : 'Channel' },
      { field: 'true', type: 'quantitative', format, title: 'True' },
      { field: 'recovered', type: 'quantitative', format, title: 'Recovered' },
    ];
    const y = { field: 'item', type: 'nominal', sort: order, title: null };
    return {
      width: w,
      height: Math.max(80, 22 * n),
      title: { text: title, fontSize: 13 },
      transform: [{ filter: `datum.panel === '${name}'` }],
      layer: [
        { mark: { type: 'rule', color: '#b9c1ca', strokeWidth: 2 }, encoding: { y, x: { field: 'true', type: 'quantitative', title: xTitle, axis: { format } }, x2: { field: 'recovered' }, tooltip } },
        {
          transform: [{ fold: ['true', 'recovered'], as: ['which', 'value'] }, { calculate: "datum.which === 'true' ? 'True' : 'Recovered'", as: 'series' }],
          mark: { type: 'point', size: 80, filled: true, opacity: 1 },
          encoding: {
            y,
            x: { field: 'value', type: 'quantitative' },
            color: { field: 'series', type: 'nominal', title: null, scale: PAIR, legend: { orient: 'top', direction: 'horizontal' } },
            shape: { field: 'series', type: 'nominal', title: null, scale: { domain: PAIR.domain, range: ['circle', 'diamond'] }, legend: { orient: 'top', direction: 'horizontal' } },
            tooltip,
          },
        },
      ],
    };
  };
  const shares = rows.filter((r) => r.panel === 'share');
  const mae = shares.reduce((s, r) => s + Math.abs(((r.true as number) ?? 0) - ((r.recovered as number) ?? 0)), 0) / Math.max(1, shares.length);
  const recoveredMedia = (() => {
    let m = 0;
    let p = 0;
    for (let i = 0; i < results.media.length; i++) m += results.media[i];
    for (let i = 0; i < results.prediction.length; i++) p += results.prediction[i];
    return p ? m / p : NaN;
  })();
  const found = edgeRows.filter(([, e]) => e.t > 0 && e.r >= 0.3).length;
  const trueEdges = edgeRows.filter(([, e]) => e.t > 0).length;
  const vconcat = [panel('share', 'Share of media contribution', 'Share', '.1%', shares.length)];
  if (withRoi.length) vconcat.push(panel('roi', `ROI (${kpi} per ${money})`, `${kpi} per ${money}`, '.3~f', withRoi.length));
  if (edgeRows.length) vconcat.push(panel('edge', 'DAG edges (true strength 0 = not in the truth)', 'Edge strength', '.2f', edgeRows.length));
  return asSpec({
    ...frame({
      id: 'truth',
      title: 'Recovered vs true (simulated demo data)',
      subtitle: `Media share of ${kpi}: true ${formatPct(truth.mediaShare)}, recovered ${formatPct(recoveredMedia)} · mean share error ${formatPct(mae)} · ${found} of ${trueEdges} true edges found (≥ 0.3)`,
      description:
        `Dot plots comparing the simulation's true values (black circles) with the model's recovered values (blue diamonds): contribution shares of ${shares.length} channels (mean absolute difference ${formatPct(mae)})` +
        (withRoi.length ? `, ROI of ${withRoi.length} channels` : '') +
        (edgeRows.length ? `, and ${edgeRows.length} DAG edges; ${found} of ${trueEdges} true edges recovered at strength ≥ 0.3.` : '.'),
      datasets: { main: rows },
      compound: true,
    }),
    data: { name: 'main' },
    vconcat,
    resolve: { scale: { x: 'independent' } },
  });
}
