// View 1: model quality as a Vega-Lite table (train, each backtest origin's validation slice,
// holdout) under the verdict on the forecasts and media's share, the exportable twin of the HTML
// cards in quality-cards.ts.
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';
import { qualityCards } from './quality-cards';
import { formatPct } from '../format/number';
import { asSpec, frame } from './spec';
import { GOOD, INK, WARN } from './theme';
import type { ViewOptions } from './types';

export function qualitySpec(results: ModelResults, options?: ViewOptions): TopLevelSpec {
  const model = qualityCards(results, options);
  const rows: Record<string, unknown>[] = [];
  model.cards.forEach((c, order) => {
    if (c.train) rows.push({ metric: c.label, order, column: 'Train', text: c.train, value: c.trainValue, tone: 'neutral', hint: c.hint });
    c.validation.forEach((v, i) => v.text && rows.push({ metric: c.label, order, column: model.validationColumns[i], text: v.text, value: v.value, tone: 'neutral', hint: c.hint }));
    rows.push({ metric: c.label, order, column: 'Holdout', text: c.holdout, value: c.holdoutValue, tone: c.tone, hint: c.hint });
  });
  const hw = model.holdoutWeeks;
  const v = model.verdict;
  const share = `Media share of the prediction (training weeks): ${formatPct(v.mediaShare)}${v.mediaShareWarning ? ` — ${v.mediaShareWarning}` : ''}`;
  const subtitle = [v.text, share, `${model.trainWeeks} training weeks, ${hw} holdout week${hw === 1 ? '' : 's'} · ${model.footer}`];
  const get = (id: string) => model.cards.find((c) => c.id === id);
  const description =
    `Model quality table. ${v.text} Holdout R² ${get('r2')?.holdout}, within-region R² ${get('r2_within')?.holdout}, ` +
    `WAPE ${get('wape')?.holdout}, skill vs recent mean ${get('skill_recent')?.holdout}; ` +
    model.validationColumns.map((col, i) => `${col}: skill vs recent mean ${get('skill_recent')?.validation[i]?.text}; `).join('') +
    `train R² ${get('r2')?.train}. ${share}. ${model.footer}.`;
  return asSpec({
    ...frame({ id: 'quality', title: model.title, subtitle, description, datasets: { main: rows }, height: 26 * model.cards.length }),
    data: { name: 'main' },
    mark: { type: 'text', fontSize: 14, align: 'center', baseline: 'middle' },
    encoding: {
      y: {
        field: 'metric',
        type: 'nominal',
        sort: { field: 'order', op: 'min' },
        title: null,
        axis: { domain: false, ticks: false, labelFontSize: 12, labelColor: INK, labelPadding: 12, grid: true },
      },
      x: {
        field: 'column',
        type: 'nominal',
        sort: ['Train', ...model.validationColumns, 'Holdout'],
        title: null,
        // labelLimit 0: the validation columns' labels carry a date and must not be cut.
        axis: { orient: 'top', domain: false, ticks: false, labelAngle: 0, labelFontSize: 12, labelFontWeight: 600, labelColor: INK, labelLimit: 0 },
      },
      text: { field: 'text', type: 'nominal' },
      color: {
        field: 'tone',
        type: 'nominal',
        scale: { domain: ['good', 'warn', 'bad', 'neutral'], range: [GOOD, '#9a6200', WARN, INK] },
        legend: null,
      },
      tooltip: [
        { field: 'metric', type: 'nominal', title: 'Metric' },
        { field: 'column', type: 'nominal', title: 'Data' },
        { field: 'text', type: 'nominal', title: 'Value' },
        { field: 'hint', type: 'nominal', title: 'Meaning' },
      ],
    },
  });
}
