// The training monitor while a fit runs: loss and R² curves for training and validation, redrawn
// as progress arrives (up to 10 Hz). Vega re-runs its dataflow, re-lays out the axes and
// re-measures text on every data change — 100–400 ms per redraw in headless Chromium on a
// one-core machine, a long task on the UI thread each time. These two panels are plain SVG paths
// whose geometry is computed here (pure, tested in Node), so an update costs well under a
// millisecond. The finished run is redrawn as the full Vega monitor (view 20, training.ts), with
// tooltips, the best-epoch marker and exports.
import type { EpochPoint } from '../engine/results';
import { formatNumber } from './theme';
import { SERIES, monitorAxes } from './training';

export interface LiveLine {
  series: 'Training' | 'Validation';
  color: string;
  /** SVG path data; empty when the series has no finite value yet. */
  d: string;
  /** Points drawn (after thinning to at most one per pixel column). */
  points: number;
}

export interface LiveTick {
  /** Position along the axis in pixels (y for the value axis, x for epochs). */
  at: number;
  label: string;
}

export interface LivePanel {
  title: string;
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  lines: LiveLine[];
  yTicks: LiveTick[];
  xTicks: LiveTick[];
}

const MARGIN = { left: 52, right: 10, top: 24, bottom: 24 };

/** Geometry of the two live panels (loss, R²) for `history` on an x axis fixed to the planned
 * epochs, each panel `width` × `height` pixels. */
export function livePanels(history: readonly EpochPoint[], totalEpochs: number, width: number, height: number): LivePanel[] {
  const { losses, logLoss, r2min } = monitorAxes(history);
  const x0 = history[0]?.epoch ?? 0;
  const x1 = Math.max(totalEpochs, history[history.length - 1]?.epoch ?? 1, x0 + 1);
  const lossDomain: [number, number] = losses.length ? [Math.min(...losses), Math.max(...losses)] : [0, 1];
  return [
    panel('Loss' + (logLoss ? ' (log scale)' : ''), history, (h) => [h.trainLoss, h.valLoss], [x0, x1], lossDomain, logLoss, width, height),
    panel('R²', history, (h) => [h.trainR2, h.valR2], [x0, x1], [r2min, 1], false, width, height),
  ];
}

function panel(title: string, history: readonly EpochPoint[], values: (h: EpochPoint) => [number, number], xDomain: [number, number],
  yDomain: [number, number], log: boolean, width: number, height: number): LivePanel {
  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  const tf = (v: number) => (log ? Math.log10(v) : v);
  let [lo, hi] = yDomain.map(tf) as [number, number];
  if (!(hi > lo)) [lo, hi] = [lo - 0.5, lo + 0.5];
  const pad = log ? 0.05 * (hi - lo) : 0;
  lo -= pad;
  hi += pad;
  const sx = (e: number) => plot.left + ((e - xDomain[0]) / (xDomain[1] - xDomain[0])) * (plot.right - plot.left);
  const sy = (v: number) => plot.bottom - ((Math.min(Math.max(tf(v), lo), hi) - lo) / (hi - lo)) * (plot.bottom - plot.top);
  // At most one point per pixel column: a long run stays cheap to draw.
  const step = Math.max(1, Math.ceil(history.length / Math.max(1, plot.right - plot.left)));
  const lines: LiveLine[] = (['Training', 'Validation'] as const).map((series, s) => {
    let d = '';
    let points = 0;
    let pen = false;
    for (let i = 0; i < history.length; i += step) {
      const v = values(history[i])[s];
      if (!Number.isFinite(v) || (log && v <= 0)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${sx(history[i].epoch).toFixed(1)},${sy(v).toFixed(1)}`;
      pen = true;
      points++;
    }
    return { series, color: SERIES.range[SERIES.domain.indexOf(series)], d, points };
  });
  const yTicks = ticks(lo, hi, log).map((t) => ({ at: plot.bottom - ((t - lo) / (hi - lo)) * (plot.bottom - plot.top), label: formatNumber(log ? 10 ** t : t) }));
  const xTicks = ticks(xDomain[0], xDomain[1], false).filter((t) => Number.isInteger(t)).map((t) => ({ at: sx(t), label: String(t) }));
  return { title, width, height, plot, lines, yTicks, xTicks };
}

/** About four round tick values within [lo, hi] (in log10 units when `log`: whole powers only). */
function ticks(lo: number, hi: number, log: boolean): number[] {
  if (log) {
    // Whole powers of ten; when the range spans less than two of them, 1-2-5 steps; else the ends.
    for (const mantissas of [[1], [1, 2, 5]]) {
      const out: number[] = [];
      for (let p = Math.floor(lo); p <= Math.ceil(hi); p++)
        for (const m of mantissas) {
          const t = p + Math.log10(m);
          if (t >= lo && t <= hi) out.push(t);
        }
      if (out.length >= 2) return out;
    }
    return [lo, hi];
  }
  const raw = (hi - lo) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9 * step; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

const SVG = 'http://www.w3.org/2000/svg';

/** Draws the live panels into `container` (browser only). `update` rebuilds the SVG; it is cheap
 * enough to call on every progress event. */
export function mountLiveMonitor(container: HTMLElement): { update(history: readonly EpochPoint[], totalEpochs: number): void } {
  const root = document.createElement('div');
  root.className = 'mmm-live-monitor';
  root.setAttribute('role', 'img');
  container.replaceChildren(root);
  const el = (name: string, attrs: Record<string, string | number>, text?: string) => {
    const e = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  return {
    update(history, totalEpochs) {
      const width = Math.max(240, Math.floor(((container.clientWidth || 900) - 16) / 2));
      const svgs = livePanels(history, totalEpochs, width, 240).map((p) => {
        const svg = el('svg', { width: p.width, height: p.height, viewBox: `0 0 ${p.width} ${p.height}` });
        svg.append(el('text', { x: p.plot.left, y: 14, class: 'mmm-live-title', 'font-size': 12, 'font-weight': 600 }, p.title));
        svg.append(el('rect', { x: p.plot.left, y: p.plot.top, width: p.plot.right - p.plot.left, height: p.plot.bottom - p.plot.top, fill: 'none', class: 'mmm-live-frame' }));
        for (const t of p.yTicks) svg.append(el('text', { x: p.plot.left - 6, y: t.at + 4, 'text-anchor': 'end', class: 'mmm-live-tick', 'font-size': 10 }, t.label));
        for (const t of p.xTicks) svg.append(el('text', { x: t.at, y: p.plot.bottom + 14, 'text-anchor': 'middle', class: 'mmm-live-tick', 'font-size': 10 }, t.label));
        for (const l of p.lines) if (l.d) svg.append(el('path', { d: l.d, fill: 'none', stroke: l.color, 'stroke-width': 1.5 }));
        return svg;
      });
      const legend = document.createElement('p');
      legend.className = 'mmm-live-legend';
      SERIES.domain.forEach((name, i) => {
        const span = document.createElement('span');
        span.style.color = SERIES.range[i];
        span.textContent = `━ ${name}`;
        legend.append(span);
      });
      root.replaceChildren(...svgs, legend);
      const last = history[history.length - 1];
      root.setAttribute('aria-label', last
        ? `Training in progress: epoch ${last.epoch} of at most ${totalEpochs}; training loss ${formatNumber(last.trainLoss)}, validation R² ${formatNumber(last.valR2)}.`
        : 'Training is starting.');
    },
  };
}
