// The Regions view's table: fit and contribution per region, sortable by any column (click or
// Enter on a header), and each region drills into the views that take a region.
import { regionTable, type RegionRow } from '../../charts/data';
import type { ModelResults } from '../../engine/results';
import { formatFixed, formatInteger, formatPct } from '../../format/number';
import { h } from '../dom';

export interface DrillTarget {
  viewId: 'actual-vs-predicted' | 'coefficients' | 'channel-detail';
  label: string;
}

export const DRILL_TARGETS: DrillTarget[] = [
  { viewId: 'actual-vs-predicted', label: 'Fit' },
  { viewId: 'coefficients', label: 'Coefficients' },
  { viewId: 'channel-detail', label: 'Channel detail' },
];

type Key = keyof Pick<RegionRow, 'region' | 'actual' | 'predicted' | 'r2' | 'wape' | 'holdoutR2' | 'holdoutWape' | 'media' | 'mediaShare'>;

const COLUMNS: { key: Key; label: string; fmt: (r: RegionRow) => string }[] = [
  { key: 'region', label: 'Region', fmt: (r) => r.region },
  { key: 'actual', label: 'Actual KPI', fmt: (r) => big(r.actual) },
  { key: 'predicted', label: 'Predicted KPI', fmt: (r) => big(r.predicted) },
  { key: 'r2', label: 'R² (within region)', fmt: (r) => f3(r.r2) },
  { key: 'wape', label: 'WAPE', fmt: (r) => pct(r.wape) },
  { key: 'holdoutR2', label: 'Holdout R²', fmt: (r) => f3(r.holdoutR2) },
  { key: 'holdoutWape', label: 'Holdout WAPE', fmt: (r) => pct(r.holdoutWape) },
  { key: 'media', label: 'Media contribution', fmt: (r) => big(r.media) },
  { key: 'mediaShare', label: 'Media share', fmt: (r) => pct(r.mediaShare) },
];

const big = (x: number) => formatInteger(x);
const f3 = (x: number | null) => formatFixed(x, 3);
const pct = (x: number | null) => formatPct(x);

/** Rows sorted by a column; null values last whatever the direction. */
export function sortRegionRows(rows: RegionRow[], key: Key, ascending: boolean): RegionRow[] {
  const dir = ascending ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === null || (typeof x === 'number' && !Number.isFinite(x))) return 1;
    if (y === null || (typeof y === 'number' && !Number.isFinite(y))) return -1;
    if (typeof x === 'string' && typeof y === 'string') return dir * x.localeCompare(y, undefined, { numeric: true });
    return dir * ((x as number) - (y as number));
  });
}

export function renderRegionsTable(results: ModelResults, onDrill: (region: number, target: DrillTarget) => void): HTMLElement {
  const all = regionTable(results);
  let key: Key = 'actual';
  let ascending = false;
  const tbody = h('tbody');
  const headers = new Map<Key, HTMLElement>();
  const fill = () => {
    tbody.replaceChildren(...sortRegionRows(all, key, ascending).map((r) =>
      h('tr', { 'data-region': r.region },
        ...COLUMNS.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c.fmt(r)) : h('td', {}, c.fmt(r)))),
        h('td', { class: 'mmm-drill' }, ...DRILL_TARGETS.map((t) =>
          h('button', { class: 'mmm-linkbutton', 'data-drill': t.viewId, 'aria-label': `${t.label} for ${r.region}`, onclick: () => onDrill(r.index, t) }, t.label))))));
    for (const [k, th] of headers) th.setAttribute('aria-sort', k === key ? (ascending ? 'ascending' : 'descending') : 'none');
  };
  const head = h('tr', {}, ...COLUMNS.map((c) => {
    const button = h('button', { class: 'mmm-sortbutton', 'data-sort': c.key, onclick: () => {
      ascending = key === c.key ? !ascending : c.key === 'region';
      key = c.key;
      fill();
    } }, c.label);
    const th = h('th', { scope: 'col' }, button);
    headers.set(c.key, th);
    return th;
  }), h('th', { scope: 'col' }, 'Open'));
  fill();
  return h('div', { class: 'mmm-table-scroll', id: 'regions-table' },
    h('table', { class: 'mmm-table mmm-regions-table' },
      h('caption', {}, `Fit and contribution for each of ${all.length} regions. Sort by any column; open a region in another view.`),
      h('thead', {}, head), tbody));
}
