// A short glossary of the measures the dashboards use, in the About tab; every figure that uses a
// term links to its entry with a small "?" button (termLinks), found from the figure's own text.
import { command } from './commands';
import { h } from './dom';
import { appHost } from './host';

export interface GlossaryTerm {
  id: string;
  term: string;
  /** Finds the term in a figure's title or description. */
  pattern: RegExp;
  definition: string;
}

// Order matters for detection: the longer terms first ("marginal ROI" before "ROI").
export const GLOSSARY: readonly GlossaryTerm[] = [
  { id: 'r2-within', term: 'Within-region R²', pattern: /within-region R²|R² \(within region\)|region R²/i,
    definition: 'R² computed on each region’s weekly series around its own mean, then pooled: how well the model follows the ups and downs inside a region, not just which regions are big. The honest measure for regional data.' },
  { id: 'r2', term: 'R²', pattern: /R²/,
    definition: 'Share of the variation in the KPI the model explains (1 is perfect, 0 is no better than the average). Pooled over all regions it is inflated when regions differ in size.' },
  { id: 'wape', term: 'WAPE', pattern: /\bWAPE\b/,
    definition: 'Weighted absolute percentage error: the sum of absolute errors divided by the sum of actual values. 10 % means the predictions are off by a tenth of the KPI on average.' },
  { id: 'skill', term: 'Skill', pattern: /\bskill\b/i,
    definition: 'How much smaller the model’s error is than a naive forecast’s (last year’s value, or the recent average): 0 means no better than the naive forecast, negative means worse.' },
  { id: 'marginal-roi', term: 'Marginal ROI', pattern: /marginal ROI|\bmROI\b/i,
    definition: 'The return of the next unit of spend at the current level. Below the average ROI when a channel is saturating; budget goes where it is highest.' },
  { id: 'roi', term: 'ROI', pattern: /\bROI\b/,
    definition: 'Return on investment: the KPI a channel contributed divided by what was spent on it, over the analysed weeks.' },
  { id: 'adstock', term: 'Adstock', pattern: /adstock|carry-over/i,
    definition: 'Carry-over: part of this week’s media effect acts in the following weeks, decaying geometrically. The half-life is the number of weeks until half the effect has worn off.' },
  { id: 'saturation', term: 'Saturation', pattern: /saturat|\bHill\b/i,
    definition: 'Diminishing returns: each extra unit of a channel adds less than the one before (a Hill curve). The half-saturation point is the level at which half the maximum effect is reached.' },
];

/** The glossary terms a text mentions, in glossary order. */
export function termsIn(text: string): GlossaryTerm[] {
  let rest = text;
  const found: GlossaryTerm[] = [];
  for (const t of GLOSSARY) {
    if (t.pattern.test(rest)) {
      found.push(t);
      // "marginal ROI" must not also count as "ROI"; "within-region R²" not as "R²".
      rest = rest.replace(new RegExp(t.pattern.source, t.pattern.flags.includes('g') ? t.pattern.flags : `${t.pattern.flags}g`), ' ');
    }
  }
  return found;
}

/** Shows a term's entry: the About tab, scrolled to and focused on the term. */
export function showTerm(id: string): void {
  command('showTab')('about');
  const entry = appHost().byId(`glossary-${id}`);
  entry?.scrollIntoView({ block: 'center' });
  entry?.focus();
}

/** "?" buttons for the terms in `text`, or null when it mentions none. */
export function termLinks(text: string): HTMLElement | null {
  const terms = termsIn(text);
  if (terms.length === 0) return null;
  return h('span', { class: 'mmm-terms' }, 'Terms: ',
    ...terms.flatMap((t, i) => [i > 0 ? ' · ' : '', h('button', {
      type: 'button', class: 'mmm-term', 'data-term': t.id, 'aria-label': `${t.term}: what it means (glossary)`, title: t.definition,
      onclick: () => showTerm(t.id),
    }, t.term, h('span', { class: 'mmm-term-q', 'aria-hidden': 'true' }, '?'))]));
}

/** The glossary section (About tab). */
export function renderGlossary(): HTMLElement {
  return h('div', { class: 'mmm-panel', id: 'glossary' },
    h('h2', {}, 'Glossary'),
    h('dl', { class: 'mmm-glossary' }, ...GLOSSARY.flatMap((t) => [
      h('dt', { id: `glossary-${t.id}`, tabindex: -1 }, t.term),
      h('dd', {}, t.definition),
    ])));
}
