// The example dataset: what it is, its shape, and the truth the model should recover.
import type { DemoData, DemoOptions } from '../../engine/core-types';
import { formatFixed, formatPct } from '../../format/number';
import { h } from '../dom';
import { termLinks } from '../glossary';

export const DEMO_DEFAULTS: DemoOptions = { regions: 50, weeks: 104, channels: 8, controls: 3, seed: 42 };

const pct = (x: number) => formatPct(x);

export function describeDemo(demo: DemoData): HTMLElement {
  const p = demo.panel;
  const t = demo.truth;
  const rows = t.channels.map((c) =>
    h('tr', {},
      h('th', { scope: 'row' }, c.channel),
      h('td', {}, pct(c.share)),
      h('td', {}, formatFixed(c.roi, 2)),
      h('td', {}, formatFixed(c.adstock, 2)),
      h('td', {}, formatFixed(c.hillSlope, 2)),
    ));
  return h('div', { class: 'mmm-panel', id: 'demo-summary' },
    h('h2', {}, 'Example data: a simulated regional business'),
    h('p', {}, `${p.regions} regions × ${p.weeks} weeks (${p.dates[0]} – ${p.dates[p.weeks - 1]}) × ${p.channels} channels with spend × ${p.controls} controls (${p.controlNames.join(', ')}). `
      + `Regions differ in size up to 100×; effects drift over time; ${t.edges.map((e) => `${e.from} raises ${e.to}`).join(', ')}. `
      + `Because the truth is known, the dashboards show what the model recovered next to it.`),
    h('p', { id: 'data-ready', class: 'mmm-ready', 'data-ready': 'true' }, `The data is ready: open the Train tab to fit the model. Media drive ${pct(t.mediaShare)} of the KPI.`),
    h('table', { class: 'mmm-table' },
      h('caption', {}, 'True channel effects (what a perfect model would report)'),
      h('thead', {}, h('tr', {}, ...['Channel', 'Share of media effect', 'ROI', 'Adstock decay', 'Hill slope'].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, ...rows),
    ),
    h('p', { class: 'mmm-muted' }, termLinks('ROI, adstock, Hill saturation')),
  );
}
