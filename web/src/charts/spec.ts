// Building blocks for the specs: the top-level frame every view shares and the time axis.
import type { TopLevelSpec } from 'vega-lite';
import type { TimeAxis } from './data';
import { CONFIG, DEFAULT_WIDTH, SHADE, meta } from './theme';
import type { ViewId, ViewOptions, WeekRange } from './types';

type Row = Record<string, unknown>;

export interface Frame {
  id: ViewId;
  title: string;
  subtitle?: string | string[];
  description: string;
  /** Named datasets; `main` is the one exported as CSV. */
  datasets: Record<string, Row[]>;
  mainDataset?: string;
  height?: number;
  /** Compound views (concat/facet) get a numeric width and no fit autosize. */
  compound?: boolean;
}

/** Top-level properties shared by every spec (merge the view's own layer/concat into it). */
export function frame(f: Frame): Omit<TopLevelSpec, 'mark' | 'layer'> & Record<string, unknown> {
  const base: Record<string, unknown> = {
    description: f.description,
    title: f.subtitle ? { text: f.title, subtitle: wrapLines(Array.isArray(f.subtitle) ? f.subtitle : [f.subtitle]) } : { text: f.title },
    datasets: f.datasets,
    config: CONFIG,
    ...meta(f.id, f.mainDataset ?? 'main'),
  };
  if (!f.compound) {
    base.width = 'container';
    base.height = f.height ?? 320;
    base.autosize = { type: 'fit-x', contains: 'padding' };
  }
  return base as Omit<TopLevelSpec, 'mark' | 'layer'> & Record<string, unknown>;
}

/** Vega does not wrap titles: break subtitle lines longer than `max` characters (about 650 px
 * at 12 px), preferably at ' · ' separators, else at spaces. */
export function wrapLines(lines: string[], max = 100): string[] {
  const out: string[] = [];
  for (const line of lines) {
    let cur = '';
    const parts = line.split(' · ');
    parts.forEach((part, i) => {
      const piece = i === 0 ? part : ` · ${part}`;
      if (cur && (cur + piece).length > max) {
        out.push(cur);
        cur = part;
      } else cur += piece;
      while (cur.length > max) {
        const cut = cur.lastIndexOf(' ', max);
        const at = cut > max / 2 ? cut : max;
        out.push(cur.slice(0, at));
        cur = cur.slice(at).trimStart();
      }
    });
    if (cur) out.push(cur);
  }
  return out;
}

/** Width of one panel in a compound view. */
export function panelWidth(options: ViewOptions | undefined, columns = 1, gap = 40, reserve = 0): number {
  // Per panel: ~60 px of y axis; `reserve` for a legend on the right; 16 px padding overall.
  const total = Math.max(320, options?.width ?? DEFAULT_WIDTH) - 16 - reserve;
  return Math.max(140, Math.floor((total - gap * (columns - 1)) / columns) - 60);
}

/** x encoding for weeks: temporal (UTC) when the dates are ISO, else week numbers. */
export function timeX(axis: TimeAxis, field = 'date', title?: string): Record<string, unknown> {
  if (axis.temporal) return { field, type: 'temporal', title: title ?? 'Week', scale: { type: 'utc' }, axis: { labelOverlap: true } };
  return { field, type: 'quantitative', title: title ?? 'Week number', axis: { tickMinStep: 1, format: 'd' }, scale: { nice: false } };
}

/** The week fields of a row for week t. */
export function weekFields(axis: TimeAxis, t: number): Row {
  return axis.temporal ? { date: axis.key(t) } : { date: axis.key(t), week: axis.label(t) };
}

/** Tooltip entry for the week of a row. */
export function weekTooltip(axis: TimeAxis): Record<string, unknown> {
  // Temporal fields are parsed to timestamps by Vega-Lite; a UTC time unit formats them back
  // as the calendar date of the week start (in any time zone).
  return axis.temporal
    ? { field: 'date', type: 'temporal', timeUnit: 'utcyearmonthdate', format: '%a %d %b %Y', title: 'Week of' }
    : { field: 'week', type: 'nominal', title: 'Week' };
}

export interface Span {
  start: string | number;
  end: string | number;
  label: string;
}

export function span(axis: TimeAxis, r: WeekRange, label: string): Span {
  return { start: axis.start(r.from), end: axis.end(r.to - 1), label };
}

/** A layer of shaded week spans (holdout, validation, burn-in) behind a time chart, with its
 * legend on top. The spans are in the named dataset (default 'spans'). */
export function spanLayer(axis: TimeAxis, spans: Span[], dataset = 'spans'): Record<string, unknown> {
  return {
    data: { name: dataset },
    mark: { type: 'rect' },
    encoding: {
      x: { ...timeX(axis, 'start'), title: null },
      x2: { field: 'end' },
      fill: { field: 'label', type: 'nominal', title: null, scale: spanScale(spans), legend: { orient: 'top', direction: 'horizontal' } },
      tooltip: [{ field: 'label', type: 'nominal', title: 'Period' }],
    },
  };
}

export const SPAN_COLORS: Record<string, string> = {
  Holdout: '#fbe9d4',
  Validation: '#e6eefb',
  'Burn-in': SHADE,
};

export function spanScale(spans: Span[]): { domain: string[]; range: string[] } {
  const domain = [...new Set(spans.map((s) => s.label))];
  return { domain, range: domain.map((d) => SPAN_COLORS[d] ?? SHADE) };
}

/** Shorthand for an `as` cast: the specs are plain objects checked by tests against vega-lite. */
export function asSpec(s: Record<string, unknown>): TopLevelSpec {
  return s as unknown as TopLevelSpec;
}

/** A hover layer for time charts: a vertical rule + tooltip at the week nearest the pointer. */
export function hoverLayer(axis: TimeAxis, tooltip: Record<string, unknown>[], dataset = 'main'): Record<string, unknown> {
  return {
    data: { name: dataset },
    mark: { type: 'rule', color: '#8792a0', strokeWidth: 1 },
    params: [{ name: 'hover', select: { type: 'point', fields: ['date'], nearest: true, on: 'pointerover', clear: 'pointerout' } }],
    encoding: {
      x: timeX(axis),
      opacity: { condition: { param: 'hover', empty: false, value: 0.8 }, value: 0 },
      tooltip,
    },
  };
}

export interface HoverColumn {
  title: string;
  values: ArrayLike<number>;
  format: string;
}

/**
 * Rows for a hover tooltip listing many series at one week: one row per week with safe keys
 * (v0, v1, …; channel names may contain '.' or '[' that Vega would read as paths).
 */
export function wideHover(
  axis: TimeAxis,
  range: WeekRange,
  columns: HoverColumn[],
  num: (v: number) => number | null,
): { rows: Row[]; tooltip: Record<string, unknown>[] } {
  const rows: Row[] = [];
  for (let t = range.from; t < range.to; t++) {
    const row: Row = weekFields(axis, t);
    columns.forEach((c, i) => (row[`v${i}`] = num(c.values[t])));
    rows.push(row);
  }
  const tooltip = [weekTooltip(axis), ...columns.map((c, i) => ({ field: `v${i}`, type: 'quantitative', format: c.format, title: c.title }))];
  return { rows, tooltip };
}
