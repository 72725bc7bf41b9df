// View 14: response curves for all channels — incremental KPI over the window as spend (or
// activity) is scaled from 0 to 3× its current level — with the current level and the fitted Hill
// half-saturation point marked. 'relative' overlays all channels on a common "× current" axis;
// 'absolute' draws small multiples in spend units.
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults, ResponseCurve } from '../engine/results';
import { asSpec, frame, panelWidth } from './spec';
import { AXIS_NUM, channelScale, formatPct, kpiLabel, num, numberFormat, spendLabel } from './theme';
import type { ViewOptions } from './types';

function interp(xs: number[], ys: number[], x: number): number {
  if (xs.length === 0) return NaN;
  if (x <= xs[0]) return ys[0];
  for (let i = 1; i < xs.length; i++)
    if (x <= xs[i]) {
      const w = xs[i] === xs[i - 1] ? 0 : (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
      return ys[i - 1] + w * (ys[i] - ys[i - 1]);
    }
  return ys[ys.length - 1];
}

function hill(c: ResponseCurve, x: number): number {
  const { bottom, top, halfSaturation: K, slope: s } = c.hill;
  if (!(x > 0)) return bottom;
  const a = x ** s;
  return bottom + ((top - bottom) * a) / (K ** s + a);
}

export function responseRows(results: ModelResults) {
  const rows: Record<string, unknown>[] = [];
  const order = new Map(results.channelNames.map((n, i) => [n, i]));
  const curves = [...results.responseCurves].sort((a, b) => (order.get(a.channel) ?? 0) - (order.get(b.channel) ?? 0));
  // The ensemble's interval per point (engine/ensemble.ts), drawn as a band when the model has it.
  const bands = new Map(results.intervals?.responseCurves.map((b) => [b.channel, b]));
  for (const c of curves) {
    const n = Math.min(c.factors.length, c.x.length, c.y.length);
    const band = bands.get(c.channel);
    for (let i = 0; i < n; i++)
      rows.push({ channel: c.channel, kind: 'curve', factor: num(c.factors[i]), x: num(c.x[i]), y: num(c.y[i]), unit: c.unit, ...(band && { lo: num(band.lo[i]), hi: num(band.hi[i]) }) });
    const xs = c.x.slice(0, n);
    const ys = c.y.slice(0, n);
    rows.push({ channel: c.channel, kind: 'Current level', factor: 1, x: num(c.current), y: num(interp(xs, ys, c.current)), unit: c.unit, saturation: num(c.saturationPct / 100) });
    const K = c.hill.halfSaturation;
    const maxX = xs.length ? xs[xs.length - 1] : 0;
    if (Number.isFinite(K) && K > 0 && K <= maxX && c.current > 0)
      rows.push({ channel: c.channel, kind: 'Half-saturation', factor: num(K / c.current), x: num(K), y: num(hill(c, K)), unit: c.unit, saturation: 0.5 });
  }
  return { rows, curves };
}

export function responseCurvesSpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const kpi = kpiLabel(options);
  const { rows, curves } = responseRows(results);
  const absolute = options?.scale === 'absolute';
  const allSpend = curves.every((c) => c.unit === 'spend');
  const xUnit = allSpend ? spendLabel(options) : 'spend or activity units';
  const fmtY = numberFormat(rows.map((r) => (r.y as number) ?? 0));
  const tooltip = [
    { field: 'channel', type: 'nominal', title: 'Channel' },
    { field: 'kind', type: 'nominal', title: 'Point' },
    { field: 'factor', type: 'quantitative', format: '.2f', title: '× current level' },
    { field: 'x', type: 'quantitative', format: numberFormat(rows.map((r) => (r.x as number) ?? 0)), title: `Per week (${xUnit})` },
    { field: 'y', type: 'quantitative', format: fmtY, title: `Incremental ${kpi} over the window` },
  ];
  const color = { field: 'channel', type: 'nominal', title: 'Channel', scale: channelScale(results), legend: absolute ? null : { orient: 'right', columns: curves.length > 20 ? 2 : 1 } };
  const xField = absolute ? 'x' : 'factor';
  const xDef = absolute
    ? { field: 'x', type: 'quantitative', title: `Weekly ${allSpend ? 'spend' : 'level'} (${xUnit})`, axis: AXIS_NUM }
    : { field: 'factor', type: 'quantitative', title: 'Spend relative to current level (×)', axis: { format: '.1~f' } };
  const yDef = { field: 'y', type: 'quantitative', title: `Incremental ${kpi}`, axis: AXIS_NUM };
  const marker = (kind: string, filled: boolean) => ({
    transform: [{ filter: `datum.kind === '${kind}'` }],
    mark: { type: 'point', filled, opacity: 1, size: 80, strokeWidth: 2, ...(filled ? { stroke: '#ffffff', strokeWidth: 1 } : { fill: '#ffffff' }) },
    encoding: {
      x: { field: xField, type: 'quantitative' },
      y: { field: 'y', type: 'quantitative' },
      color,
      shape: {
        field: 'kind',
        type: 'nominal',
        title: null,
        scale: { domain: ['Current level', 'Half-saturation'], range: ['circle', 'diamond'] },
        legend: { orient: 'top', direction: 'horizontal' },
      },
      tooltip: [...tooltip, { field: 'saturation', type: 'quantitative', format: '.0%', title: 'Saturation' }],
    },
  });
  const level = results.intervals ? `${Math.round(100 * results.intervals.level)} % interval` : '';
  const band = {
    name: 'curve-interval',
    transform: [{ filter: "datum.kind === 'curve' && isValid(datum.lo) && isValid(datum.hi)" }],
    mark: { type: 'area', opacity: 0.18, interpolate: 'monotone' },
    encoding: { x: { field: xField, type: 'quantitative' }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color, detail: { field: 'channel' } },
  };
  const curveTooltip = level ? [...tooltip, { field: 'lo', type: 'quantitative', format: fmtY, title: `${level}: from` }, { field: 'hi', type: 'quantitative', format: fmtY, title: 'to' }] : tooltip;
  const layers = [
    ...(level ? [band] : []),
    { transform: [{ filter: "datum.kind === 'curve'" }], mark: { type: 'line', interpolate: 'monotone' }, encoding: { x: xDef, y: yDef, color, tooltip: curveTooltip } },
    marker('Current level', true),
    marker('Half-saturation', false),
  ];
  const sat = [...curves].sort((a, b) => b.saturationPct - a.saturationPct);
  const description =
    `Response curves of ${curves.length} channels: incremental ${kpi} over the analysis window as each channel's weekly ${allSpend ? 'spend' : 'level'} goes from 0 to ${
      Math.max(...curves.map((c) => c.factors[c.factors.length - 1] ?? 0), 0) || 3
    }× its current level. ` +
    `Most saturated: ${sat.slice(0, 3).map((c) => `${c.channel} ${formatPct(c.saturationPct / 100, 0)}`).join(', ')}. ` +
    `Filled circles mark the current level, hollow diamonds the half-saturation point.`;
  const common = frame({
    id: 'response-curves',
    title: `Response curves: incremental ${kpi} vs ${allSpend ? 'spend' : 'activity'}`,
    subtitle: (absolute
      ? `One panel per channel, weekly ${allSpend ? 'spend' : 'level'} in ${xUnit} · ● current level · ◇ half-saturation (Hill fit)`
      : `All channels against a multiple of their current weekly level (1 = today) · ● current level · ◇ half-saturation`) + (level ? ` · shaded: ${level} from ${results.intervals!.k} fits` : ''),
    description,
    datasets: { main: rows },
    height: 360,
    compound: absolute,
  });
  if (!absolute) return asSpec({ ...common, data: { name: 'main' }, layer: layers });
  const cols = curves.length <= 4 ? curves.length : curves.length <= 9 ? 3 : 4;
  const w = panelWidth(options, Math.max(1, cols), 30);
  return asSpec({
    ...common,
    data: { name: 'main' },
    facet: { field: 'channel', type: 'nominal', title: null, sort: results.channelNames, header: { labelFontWeight: 600 } },
    columns: cols,
    spec: { width: w, height: Math.round(w * 0.6), layer: layers },
    resolve: { scale: { x: 'independent', y: 'independent' } },
  });
}
