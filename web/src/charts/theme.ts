// Shared look of every chart: channel colours (the same colour for a channel in every view),
// neutral greys for the non-media components, number/date formatting and the Vega-Lite config.
import type { Config } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import type { ChartMeta, ViewId, ViewOptions } from './types';

/** A fixed categorical palette; channel i gets CHANNEL_PALETTE[i % 20] (varied beyond 20). */
export const CHANNEL_PALETTE: readonly string[] = [
  '#2f6fd0', // blue
  '#e8742c', // orange
  '#18a07a', // green-teal
  '#d43f6f', // raspberry
  '#8656c9', // violet
  '#c99a12', // mustard
  '#2ab0cc', // cyan
  '#9b5230', // brown
  '#5fa83a', // leaf green
  '#e4534a', // red
  '#4a4fb0', // indigo
  '#e58fc0', // pink
  '#79b4ea', // light blue
  '#b67c1d', // ochre
  '#3f8a8c', // petrol
  '#a9447f', // plum
  '#86c27a', // light green
  '#f0a44b', // apricot
  '#6d6ad8', // periwinkle
  '#c25b2a', // rust
];

/** Neutral greys for the non-media components. */
export const COMPONENT_COLORS = {
  Baseline: '#9ba4ae',
  Seasonality: '#c6ccd3',
  Controls: '#6e7782',
} as const;

export const OTHER_MEDIA = '#b7a99a'; // "Other media" (channels grouped when there are many)
export const INK = '#1d232b';
export const MUTED = '#5b6673';
export const ACCENT = '#2456c8';
export const SHADE = '#eef1f5';
export const WARN = '#b3261e';
export const GOOD = '#1c7c45';

function mix(hex: string, toward: number, amount: number): string {
  const n = parseInt(hex.slice(1), 16);
  const ch = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => Math.round(c + (toward - c) * amount));
  return '#' + ch.map((c) => c.toString(16).padStart(2, '0')).join('');
}

/** Colour of channel i (by its index in channelNames); deterministic for any i. */
export function channelColor(i: number): string {
  const base = CHANNEL_PALETTE[((i % CHANNEL_PALETTE.length) + CHANNEL_PALETTE.length) % CHANNEL_PALETTE.length];
  const round = Math.floor(i / CHANNEL_PALETTE.length) % 3;
  if (round === 1) return mix(base, 0, 0.35); // darker
  if (round === 2) return mix(base, 255, 0.4); // lighter
  return base;
}

export function channelColors(results: ModelResults): string[] {
  return results.channelNames.map((_, i) => channelColor(i));
}

/** Vega-Lite scale mapping channel names to their colours (all channels, in model order). */
export function channelScale(results: ModelResults): { domain: string[]; range: string[] } {
  return { domain: [...results.channelNames], range: channelColors(results) };
}

/** Scale for component views: Baseline, Seasonality, Controls, then the channels. */
export function componentScale(results: ModelResults, names = COMPONENT_ORDER): { domain: string[]; range: string[] } {
  return {
    domain: [...names, ...results.channelNames],
    range: [...names.map((n) => COMPONENT_COLORS[n]), ...channelColors(results)],
  };
}
export const COMPONENT_ORDER: readonly (keyof typeof COMPONENT_COLORS)[] = ['Baseline', 'Seasonality', 'Controls'];

// ---------------------------------------------------------------------------------------------
// Formatting

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** True when every date is an ISO date (YYYY-MM-DD…), so the time axis can be temporal. */
export function isoDates(dates: readonly string[]): boolean {
  return dates.length > 0 && dates.every((d) => ISO_DATE.test(d) && Number.isFinite(Date.parse(d.slice(0, 10))));
}

/** "Jan 2023" for an ISO date, the text itself otherwise. */
export function monthLabel(date: string): string {
  const m = ISO_DATE.exec(date);
  if (!m) return date;
  return `${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

/** "Jan 2023 – Dec 2024" for weeks [from, to) of the results. */
export function periodLabel(dates: readonly string[], from: number, to: number): string {
  if (dates.length === 0 || to <= from) return '';
  const a = dates[Math.max(0, from)];
  const b = dates[Math.min(dates.length, to) - 1];
  const la = monthLabel(a);
  const lb = monthLabel(b);
  return la === lb ? la : `${la} – ${lb}`;
}

// Numbers in text go through the app's one formatter (format/number.ts); axes call the same
// functions through Vega expression functions (vega-format.ts).
export { formatCompact, formatNumber, formatPct } from '../format/number';
export { AXIS_NUM, AXIS_PCT } from './vega-format';

/**
 * d3-format string for tooltips of values of this magnitude: thousands separators and enough
 * decimals for ~4 significant digits of the typical value (exact to what the eye can use).
 */
export function numberFormat(values: ArrayLike<number> | number): string {
  let m = 0;
  if (typeof values === 'number') m = Math.abs(values);
  else
    for (let i = 0; i < values.length; i++) {
      const a = Math.abs(values[i]);
      if (Number.isFinite(a) && a > m) m = a;
    }
  if (!(m > 0)) return ',.2~f';
  const d = Math.max(0, Math.min(8, 3 - Math.floor(Math.log10(m))));
  return `,.${d}~f`;
}

export const PCT_FORMAT = '.1%';
export const R2_FORMAT = '.3f';

/** Rounds a value for chart data (keeps 7 significant digits; non-finite → null). */
export function num(v: number): number | null {
  if (!Number.isFinite(v)) return null;
  if (v === 0) return 0;
  return Number(v.toPrecision(7));
}

// ---------------------------------------------------------------------------------------------
// Labels

export function kpiLabel(options?: ViewOptions): string {
  return options?.kpiLabel?.trim() || 'KPI';
}
export function spendLabel(options?: ViewOptions): string {
  return options?.spendLabel?.trim() || 'spend';
}
export function regionLabel(results: ModelResults, region: number | null | undefined): string {
  if (region === null || region === undefined) return results.shape.regions > 1 ? `all ${results.shape.regions} regions` : results.regionNames[0] ?? 'all regions';
  return results.regionNames[region] ?? `region ${region + 1}`;
}

// ---------------------------------------------------------------------------------------------
// Vega-Lite config

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

export const CONFIG: Config = {
  font: FONT,
  background: '#ffffff',
  padding: 8,
  view: { stroke: null, continuousHeight: 320 },
  axis: {
    labelColor: MUTED,
    titleColor: INK,
    titleFontWeight: 500,
    titleFontSize: 12,
    labelFontSize: 11,
    gridColor: '#e8ecf0',
    domainColor: '#c5ccd4',
    tickColor: '#c5ccd4',
    labelLimit: 180,
  },
  legend: { labelColor: INK, titleColor: INK, labelFontSize: 11, titleFontSize: 12, labelLimit: 200, symbolLimit: 60 },
  header: { labelColor: INK, labelFontSize: 12, titleFontSize: 12 },
  title: {
    anchor: 'start',
    color: INK,
    fontSize: 15,
    fontWeight: 600,
    subtitleColor: MUTED,
    subtitleFontSize: 12,
    offset: 10,
    limit: 0,
  },
  line: { strokeWidth: 1.8 },
  point: { filled: true },
  bar: { discreteBandSize: { band: 0.8 } },
  concat: { spacing: 28 },
  numberFormat: ',.4~r',
};

// ---------------------------------------------------------------------------------------------
// Dark theme: the specs are built with the light colours above; themedSpec swaps every colour
// literal of the light theme (config, marks, scale ranges — never the data) for its dark twin,
// so views need no theme parameter and exports drawn from a dark view stay dark.

export type ChartTheme = 'light' | 'dark';

export const DARK_BACKGROUND = '#1b2128';

const DARK_SWAP: Record<string, string> = {
  '#ffffff': DARK_BACKGROUND, // background
  [INK]: '#e6ebf1',
  [MUTED]: '#a9b4c0',
  [ACCENT]: '#8ab0ff',
  [SHADE]: '#2a323c',
  [WARN]: '#ff8f86',
  [GOOD]: '#6bd59c',
  '#e8ecf0': '#2c353f', // grid
  '#c5ccd4': '#4a5561', // domain and ticks
  '#8792a0': '#9aa6b2', // hover rule
  '#fbe9d4': '#4a3a26', // holdout span
  '#e6eefb': '#23324a', // validation span
};

/** The spec recoloured for `theme` (the same object for light). Data and datasets are untouched. */
export function themedSpec<T>(spec: T, theme: ChartTheme): T {
  if (theme === 'light') return spec;
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === 'string') return DARK_SWAP[v.toLowerCase()] ?? v;
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = k === 'datasets' || k === 'values' || k === 'usermeta' ? x : walk(x, k);
      return out;
    }
    return v;
  };
  return walk(spec, '') as T;
}

// ---------------------------------------------------------------------------------------------
// Long names: Vega cuts legend and axis labels at labelLimit (with an ellipsis). In the live view
// every legend label and every label of a name axis (band/point scale: channels, regions) shows
// its full text on hover, and horizontal legends wrap into rows instead of running off the chart.
// This works on the compiled Vega spec: Vega-Lite cannot make guide labels interactive.

/** Entries per row of a horizontal legend before it wraps. */
export const LEGEND_ROW = 5;

type VgNode = Record<string, unknown>;

function labelTooltip(guide: VgNode): VgNode {
  const encode = (guide.encode as Record<string, VgNode> | undefined) ?? {};
  const labels = encode.labels ?? {};
  const update = (labels.update as VgNode | undefined) ?? {};
  return { ...guide, encode: { ...encode, labels: { ...labels, interactive: true, update: { ...update, tooltip: { signal: 'datum.label' } } } } };
}

export function withFullLabels<T>(vg: T): T {
  const walk = (node: VgNode, scaleTypes: Map<string, string>): VgNode => {
    const scales = new Map(scaleTypes);
    for (const sc of (node.scales as VgNode[] | undefined) ?? []) scales.set(String(sc.name), String(sc.type ?? 'linear'));
    const out: VgNode = { ...node };
    if (Array.isArray(node.legends)) {
      out.legends = (node.legends as VgNode[]).map((l) => labelTooltip(l.direction === 'horizontal' && l.columns === undefined ? { ...l, columns: LEGEND_ROW } : l));
    }
    if (Array.isArray(node.axes)) {
      out.axes = (node.axes as VgNode[]).map((a) => (a.labels !== false && ['band', 'point'].includes(scales.get(String(a.scale)) ?? '') ? labelTooltip(a) : a));
    }
    if (Array.isArray(node.marks)) out.marks = (node.marks as VgNode[]).map((m) => (m.type === 'group' ? walk(m, scales) : m));
    return out;
  };
  return walk(vg as VgNode, new Map()) as T;
}

/** Most per-channel series a time chart draws by default. */
export const MAX_SERIES = 12;

/** Default total width for compound views when the app does not pass one. */
export const DEFAULT_WIDTH = 760;

export function meta(viewId: ViewId, mainDataset = 'main'): { usermeta: ChartMeta & Record<string, unknown> } {
  return { usermeta: { viewId, mainDataset } };
}
