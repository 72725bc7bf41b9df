// Schema inference: which column is time, region, KPI, media (spend/activity per channel),
// control or ignored — each guess with a confidence and a reason a person can check.

import { isoDate, medianStep } from './dates';
import { readTimeColumn, TIME_NAME, type TimeAxis } from './timeaxis';
import { channelWord, PYMC_MEDIA_PREFIX } from './vocabulary';
import type { ChannelMapping, ColumnGuess, DateOrder, DateOrderChoice, ColumnKind, ColumnProfile, Frequency, Inference, Issue, Mapping, ParsedColumn, ParsedTable, Role } from './types';

const REGION_NAME = /^(geo|geos|region|regions|dma|dma_?(code|name)?|market|markets|state|country|city|store|area|territory|location|zone|province|county|shop|outlet|geo_?(id|name|code)|region_?(id|name|code)|market_?(id|name)|postcode|zip|metro|panel|cross_?section)$|(^|_)(geo|region|dma|market|territory)(_|$)/i;

const LEAK = /(_effect$|_effects$|_contribution$|_contrib$|adstock|saturat|_decomp|_true$|^true_|_hat$|_pred$|_fitted$|^(epsilon|noise|error|resid|residual|residuals|intercept)$|^hidden_|_latent_)/i;
const INDEX_NAME = /^(unnamed(: ?\d+)?|index|idx|row|row_?(id|num|number|no)|#|no|n|obs|id|record_?id|level_0)$/i;
const REV_PER = /(revenue|rev|value|price|margin|profit)_?per_?(conversion|conv|kpi|unit|order|sale|lead|visit|acquisition)|^(aov|average_order_value|avg_order_value|unit_price|revenue_per_conversion)$/i;
const DATE_DERIVED = /^(dayofyear|day_of_year|doy|dayofweek|day_of_week|dow|weekday|weekofyear|week_of_year|woy|weeknum|week_number|month|month_?(num|number|of_year)?|year|quarter|qtr|yearweek|isoweek|t|trend|time_?index|timestep|time_?idx|seasonality|season_?index|fourier.*|sin_.*|cos_.*)$/i;

const SPEND_SUFFIX = /[_\s.-]*(spend|spends|spending|cost|costs|spent|investment|invest|budget|expenditure|media_?cost|amount_?spent|outlay)$/i;
const SPEND_PREFIX = /^(spend|cost|costs|investment|budget|mdsp)[_\s.-]+/i;
// DeepCausalMMM names media after its simulated adstock: impressions_Channel_03_geometric_max_lag_5_length_0.05.
const ADSTOCK_DESCRIPTION = /_(null_)?(delayed|exponential|geometric|weibull)(_.*)?$/i;
const ROBYN_SPEND = /_S$/; // tv_S, facebook_S
const ACT_WORDS = 'impressions?|imps?|impr|clicks?|grps?|trps?|views?|video_?views|sends|opens|spots|insertions|circulation|exposures?|airings|displays|reach|frequency|freq|mdip';
const ACT_SUFFIX = new RegExp(`[_\\s.-]*(${ACT_WORDS})$`, 'i');
const ACT_PREFIX = new RegExp(`^(${ACT_WORDS})[_\\s.-]+`, 'i');
const ROBYN_ACT = /_[IPA]$/; // facebook_I, search_clicks_P
const REACH = /(^|[_\s.-])reach$|^reach[_\s.-]/i;
const FREQ = /(^|[_\s.-])(frequency|freq|avg_?frequency)$|^(frequency|freq)[_\s.-]/i;

const KPI_EXACT = /^(y|kpi|target|dep_?var|dependent|outcome|response|label|conversions?|sales|revenue|revenues|orders|visits|sessions|leads|signups|sign_ups|installs|bookings|transactions|subscriptions|acquisitions|purchases|units_?sold|units|new_customers|customers|gross_sales|net_sales|total_sales|total_revenue|total_conversions|income)$/i;
const KPI_PREFIX = /^(target|kpi|y|dep)_(?!hat|pred|fitted|true)/i;
const KPI_CONTAINS = /(sales|revenue|conversion|orders|signups|leads|installs|bookings|visits|sessions|transactions|subscriptions|acquisitions|purchases)/i;
const COUNTERFACTUAL = /^y0?\d+$|^y_?(cf|counterfactual|base|baseline)/i;

const CONTROL = /(control|competitor|compet|price|pricing|discount|sentiment|promo|promotion|event|holiday|weather|temperature|temp$|rain|snow|gdp|unemployment|cpi|inflation|covid|lockdown|macro|consumer_?confidence|_B$|stock_?out|distribution|fuel|season|school|black_?friday|christmas|easter|strike|interest_?rate|exchange_?rate|dummy|flag|is_|search_?(volume|index|interest)|google_?trends)/i;

function kindOf(col: ParsedColumn, isDate: boolean): ColumnKind {
  if (isDate) return 'date';
  const nonMissing = col.numericCount + col.textCount;
  if (nonMissing > 0 && col.textCount > 0.2 * nonMissing) return 'text';
  if (col.allInteger && col.numericCount > 0 && isRowIndex(col)) return 'integer-id';
  return 'numeric';
}

function distinctCount(col: ParsedColumn): number {
  return col.dict ? col.dict.length : Infinity;
}

function isConstant(col: ParsedColumn): boolean {
  if (col.textCount > 0) return col.dict !== null && col.dict.length <= 1;
  return col.numericCount > 0 && col.min === col.max;
}

/** 0,1,2,… or 1,2,3,… in row order. */
function isRowIndex(col: ParsedColumn): boolean {
  const v = col.values;
  if (v.length < 3 || col.missingCount > 0 || col.textCount > 0) return false;
  const start = v[0];
  if (start !== 0 && start !== 1) return false;
  for (let i = 1; i < v.length; i++) if (v[i] !== start + i) return false;
  return true;
}

/** Distinct values per region group all equal to one: constant within each region. */
function constantWithinGroups(col: ParsedColumn, groups: Int32Array, nGroups: number): boolean {
  if (nGroups < 2 || col.textCount > 0) return false;
  const first = new Float64Array(nGroups).fill(NaN);
  for (let i = 0; i < col.values.length; i++) {
    const g = groups[i];
    const v = col.values[i];
    if (g < 0 || Number.isNaN(v)) continue;
    if (Number.isNaN(first[g])) first[g] = v;
    else if (first[g] !== v) return false;
  }
  return true;
}

function channelBase(name: string, type: 'spend' | 'activity'): string {
  let b = name.trim();
  if (type === 'spend') {
    b = b.replace(ROBYN_SPEND, '');
    if (SPEND_PREFIX.test(b)) b = b.replace(SPEND_PREFIX, '');
    else b = b.replace(SPEND_SUFFIX, '');
  } else {
    b = b.replace(ROBYN_ACT, '');
    if (ACT_PREFIX.test(b) && !ACT_SUFFIX.test(b)) b = b.replace(ACT_PREFIX, '');
    else b = b.replace(ACT_SUFFIX, '');
    b = b.replace(ACT_SUFFIX, '');
  }
  b = b.replace(ADSTOCK_DESCRIPTION, '');
  b = b.replace(/^[_\s.-]+|[_\s.-]+$/g, '');
  return b && !/^\d+$/.test(b) ? b : name;
}

/** Channel name of a column named only by a channel word: "x1_Search-Ads" → "Search-Ads", "x3" → "x3". */
function vocabularyChannelName(name: string): string {
  const rest = name.trim().replace(PYMC_MEDIA_PREFIX, '').replace(/^[_\s.-]+/, '');
  return rest || name.trim();
}

function channelKey(base: string): string {
  return base.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function activityRank(name: string): number {
  const n = name.toLowerCase();
  if (/impression|imps?\b|impr|exposure|_i$/.test(n)) return 0;
  if (/grp|trp/.test(n)) return 1;
  if (/view/.test(n)) return 2;
  if (/click|_p$/.test(n)) return 3;
  return 4;
}

function levelsByFrequency(col: ParsedColumn): { level: string; count: number }[] {
  const counts = new Array<number>(col.dict!.length).fill(0);
  for (const c of col.codes!) if (c >= 0) counts[c]++;
  return col.dict!.map((level, i) => ({ level, count: counts[i] })).sort((a, b) => b.count - a.count || a.level.localeCompare(b.level));
}

/**
 * Levels of a category column encoded as 0/1 controls. Empty cells and "na"/"none" (read as missing)
 * mean "no event" and are the reference, so every named value gets its own dummy; a column with no
 * such cells uses its most common value as the reference (one dummy per value would duplicate the
 * intercept).
 */
export function dummyLevels(col: ParsedColumn): { encoded: string[]; reference: string; why: string } {
  return dummyLevelsOf(levelsByFrequency(col), col.missingCount);
}

/** The same rule on levels sorted most common first (a column profile) and the count of empty cells. */
export function dummyLevelsOf(levels: { level: string }[], missing: number): { encoded: string[]; reference: string; why: string } {
  if (missing > 0) {
    return { encoded: levels.map((l) => l.level), reference: 'an empty / "na" / "none" cell', why: `${missing} row(s) with no value` };
  }
  return { encoded: levels.slice(1).map((l) => l.level), reference: `"${levels[0]?.level ?? ''}"`, why: 'the most common value; the column has no empty or "na" cells' };
}

/** Dummy name for a level of a text column. */
export function dummyName(column: string, level: string): string {
  return `${column}=${level}`;
}

interface Draft {
  col: ParsedColumn;
  role: Role | null;
  confidence: number;
  reason: string;
  kind: ColumnKind;
  channel?: string;
  rf?: 'reach' | 'frequency';
  dummyOf?: string;
  levels?: string[];
}

/** Share of gaps between sorted distinct days that are a regular calendar step (a day, a week or a month). */
function regularity(days: Float64Array): number {
  const distinct = Array.from(new Set(Array.from(days).filter((x) => !Number.isNaN(x)))).sort((a, b) => a - b);
  if (distinct.length < 2) return 0;
  const step = medianStep(distinct);
  let regular = 0;
  for (let i = 1; i < distinct.length; i++) {
    const g = distinct[i] - distinct[i - 1];
    if (g === step && (step === 1 || step === 7)) regular++;
    else if (g >= 28 && g <= 31 && step >= 28 && step <= 31) regular++;
  }
  return regular / (distinct.length - 1);
}

/**
 * Day/month order of dates with no number above 12: the order that gives regular steps (daily,
 * weekly or monthly), else day first for files with decimal commas and month first otherwise.
 */
function chooseDateOrder(col: ParsedColumn, decimal: ',' | '.'): { order: DateOrder; axis: TimeAxis; why: string } {
  const dmy = readTimeColumn(col, { nameHint: true, preferDayFirst: true, dateOrder: 'dmy' })!;
  const mdy = readTimeColumn(col, { nameHint: true, preferDayFirst: false, dateOrder: 'mdy' })!;
  const rd = regularity(dmy.days);
  const rm = regularity(mdy.days);
  if (rd !== rm) {
    const order: DateOrder = rd > rm ? 'dmy' : 'mdy';
    const [a, b] = order === 'dmy' ? [rd, rm] : [rm, rd];
    return { order, axis: order === 'dmy' ? dmy : mdy, why: `read ${order === 'dmy' ? 'day first' : 'month first'}, ${Math.round(a * 100)}% of the steps between dates are a regular day, week or month (${Math.round(b * 100)}% the other way)` };
  }
  const order: DateOrder = decimal === ',' ? 'dmy' : 'mdy';
  return { order, axis: order === 'dmy' ? dmy : mdy, why: order === 'dmy' ? 'the file writes decimals with a comma, as most countries that put the day first do' : 'the file writes decimals with a point and both orders give equally regular dates, so the US month-first order was kept' };
}

export function inferSchema(table: ParsedTable): Inference {
  const issues: Issue[] = [];
  const n = table.rowCount;
  const drafts: Draft[] = table.data.map((col) => ({ col, role: null, confidence: 0, reason: '', kind: kindOf(col, false) }));

  // ---- time -------------------------------------------------------------------------------
  let time: { d: Draft; axis: TimeAxis; score: number } | null = null;
  for (const d of drafts) {
    const hint = TIME_NAME.test(d.col.name);
    const axis = readTimeColumn(d.col, { nameHint: hint, preferDayFirst: table.decimal === ',' });
    if (!axis) continue;
    const share = axis.parsed / Math.max(1, axis.parsed + axis.failed);
    const score = share + (hint ? 0.5 : 0) + (axis.kind === 'date' ? 1 : 0) - (axis.format === 'week-id' && isRowIndex(d.col) && !/week|period/i.test(d.col.name) ? 0.4 : 0);
    if (!time || score > time.score) time = { d, axis, score };
  }
  let dateOrder: DateOrderChoice | null = null;
  if (time && time.axis.note && /ambiguous/.test(time.axis.note)) {
    const choice = chooseDateOrder(time.d.col, table.decimal);
    time.axis = choice.axis;
    dateOrder = { column: time.d.col.name, chosen: choice.order, why: choice.why };
  }
  let frequency: Frequency = 'unknown';
  if (time) {
    const { d, axis } = time;
    d.role = 'time';
    d.kind = axis.kind === 'date' ? 'date' : 'integer-id';
    const distinct = Array.from(new Set(Array.from(axis.days).filter((x) => !Number.isNaN(x)))).sort((a, b) => a - b);
    const step = medianStep(distinct);
    if (axis.kind === 'week-id') {
      frequency = 'weekly';
      d.confidence = 0.7;
      d.reason = `integer week numbers ${distinct[0]}…${distinct[distinct.length - 1]}; no calendar dates, so seasonality uses the week number`;
    } else {
      if (step === 7 || axis.format === 'iso-week') frequency = 'weekly';
      else if (step === 1) frequency = 'daily';
      d.confidence = axis.failed === 0 ? 0.95 : 0.8;
      const fmt = { iso: 'ISO dates', mdy: 'US dates (month/day/year)', dmy: 'European dates (day/month/year)', 'ymd-compact': 'yyyymmdd dates', 'month-name': 'dates with month names', 'iso-week': 'ISO weeks (yyyy-Www)', 'week-id': '' }[axis.format];
      const span = distinct.length ? `${isoDate(distinct[0])} … ${isoDate(distinct[distinct.length - 1])}` : '';
      d.reason = `${fmt}${axis.note ? ` — ${axis.note}` : ''}, ${span}, ${frequency === 'unknown' ? `typical step ${step} days` : frequency}`;
      if (axis.note && /ambiguous/.test(axis.note)) {
        issues.push({ code: 'AMBIGUOUS_DATE_ORDER', severity: 'warning', column: d.col.name, message: `Dates in "${d.col.name}" could be month/day or day/month (no number above 12); ${axis.format === 'dmy' ? 'day' : 'month'} first was chosen because ${dateOrder?.why ?? 'of the file\'s conventions'}. Check the date range, and change "Date order" in the mapping if it is wrong.` });
      }
    }
    if (frequency === 'daily') {
      issues.push({ code: 'DAILY_DATA', severity: 'info', column: d.col.name, message: `"${d.col.name}" is daily. The model works on weeks: days are summed into Monday-based weeks (media and KPI summed, controls averaged).` });
    } else if (frequency === 'unknown' && axis.kind === 'date') {
      issues.push({ code: 'NOT_WEEKLY', severity: 'warning', column: d.col.name, message: `Dates in "${d.col.name}" are typically ${step} days apart, neither daily nor weekly. The model expects weekly data; results may be poor.` });
    }
  } else {
    issues.push({ code: 'NO_TIME_COLUMN', severity: 'error', message: 'No column looks like dates or week numbers. Add a date column (e.g. 2024-01-29) or choose the time column in the mapping.' });
  }

  // ---- region ------------------------------------------------------------------------------
  let regionDraft: Draft | null = null;
  let regionGroups: Int32Array | null = null;
  let nRegions = 1;
  if (time && n > 0) {
    const days = time.axis.days;
    const distinctTimes = new Set<number>();
    let validTimes = 0;
    for (const x of days) {
      if (Number.isNaN(x)) continue;
      distinctTimes.add(x);
      validTimes++;
    }
    const timeUnique = distinctTimes.size >= 0.98 * validTimes;
    let best: { d: Draft; score: number } | null = null;
    for (const d of drafts) {
      if (d.role || !d.col.codes || !d.col.dict) continue;
      const k = d.col.dict.length;
      const hint = REGION_NAME.test(d.col.name);
      const texty = d.col.textCount > d.col.numericCount;
      if (!hint && !texty) continue;
      if (k < 1 || k > Math.max(1, n / 2)) continue;
      if (k === 1 && !hint) continue;
      // Share of rows whose (value, time) pair is unique.
      const pairs = new Set<number>();
      let counted = 0;
      for (let i = 0; i < n; i++) {
        const c = d.col.codes[i];
        if (c < 0 || Number.isNaN(days[i])) continue;
        pairs.add(c * 1e7 + days[i]);
        counted++;
      }
      const uniq = counted ? pairs.size / counted : 0;
      if (timeUnique && k > 1) continue; // national data: other text columns are categories
      if (!timeUnique && uniq < 0.9) continue;
      const score = uniq + (hint ? 0.5 : 0) - k / (10 * n);
      if (!best || score > best.score) best = { d, score };
    }
    if (best) {
      const d = best.d;
      regionDraft = d;
      d.role = 'region';
      d.kind = 'text';
      nRegions = d.col.dict!.length;
      regionGroups = d.col.codes!;
      d.confidence = REGION_NAME.test(d.col.name) ? 0.95 : 0.75;
      d.reason = nRegions === 1
        ? `one value ("${d.col.dict![0]}") in a column named like a region: a single region`
        : `${nRegions} distinct values, each with its own time series (dates repeat across them): a long panel`;
    } else if (!timeUnique) {
      // Reported precisely (rows) by validate() as DUPLICATE_ROWS.
      issues.push({ code: 'REPEATED_DATES', severity: 'warning', column: time.d.col.name, message: `Dates in "${time.d.col.name}" repeat, but no column looks like a region. If the file has one row per region and week, choose the region column; if it has one row per channel, pivot it to one column per channel.` });
    }
  }

  // ---- names -------------------------------------------------------------------------------
  const hasY = table.columns.some((c) => c.toLowerCase() === 'y');
  for (const d of drafts) {
    if (d.role) continue;
    const name = d.col.name;
    const col = d.col;
    const nonMissing = col.numericCount + col.textCount;
    const set = (role: Role, confidence: number, reason: string, extra: Partial<Draft> = {}) => {
      d.role = role;
      d.confidence = confidence;
      d.reason = reason;
      Object.assign(d, extra);
    };
    if (nonMissing === 0) {
      set('ignore', 0.95, 'every cell is empty');
      continue;
    }
    if (LEAK.test(name) || (hasY && COUNTERFACTUAL.test(name) && name.toLowerCase() !== 'y')) {
      set('ignore', 0.9, 'looks like a model output or simulation ground truth (effect, adstocked/saturated input, counterfactual or noise); using it would leak the answer into the model');
      continue;
    }
    if (/^unnamed(: ?\d+)?$/i.test(name) || (INDEX_NAME.test(name) && (isRowIndex(col) || distinctCount(col) >= 0.98 * n))) {
      set('ignore', 0.95, /^unnamed/i.test(name) ? 'unnamed column (a saved row index)' : 'row index or identifier, not a driver', { kind: d.kind === 'text' ? 'text' : 'integer-id' });
      continue;
    }
    if (d.kind === 'text') continue; // handled below
    if (REV_PER.test(name)) {
      set('revenue_per_kpi', 0.9, 'revenue per KPI unit: turns KPI contributions into revenue for ROI');
      continue;
    }
    if (DATE_DERIVED.test(name)) {
      const trendy = /^(t|trend|time_?index|timestep|time_?idx)$/i.test(name);
      set('ignore', 0.8, trendy
        ? `a trend/time counter (${name}); the model builds its own trend and yearly seasonality from the calendar, so this would duplicate it`
        : `derived from the date (${name}); the model builds trend and yearly seasonality from the calendar itself, so this would duplicate it`);
      continue;
    }
    if (ROBYN_SPEND.test(name) || SPEND_SUFFIX.test(name) || SPEND_PREFIX.test(name)) {
      const base = channelBase(name, 'spend');
      set('media_spend', 0.9, `name says spend/cost for channel "${base}"`, { channel: base });
      continue;
    }
    if (REACH.test(name)) {
      const base = channelBase(name, 'activity');
      set('media_activity', 0.85, `reach of channel "${base}"; with its frequency, activity = reach × frequency`, { channel: base, rf: 'reach' });
      continue;
    }
    if (FREQ.test(name)) {
      const base = channelBase(name, 'activity');
      set('media_activity', 0.85, `average frequency of channel "${base}"; with its reach, activity = reach × frequency`, { channel: base, rf: 'frequency' });
      continue;
    }
    if (ROBYN_ACT.test(name) || ACT_SUFFIX.test(name) || ACT_PREFIX.test(name)) {
      const base = channelBase(name, 'activity');
      set('media_activity', 0.85, `name says impressions/clicks/GRPs for channel "${base}"`, { channel: base });
      continue;
    }
    if (KPI_EXACT.test(name) || KPI_PREFIX.test(name)) {
      set('kpi', 0.9, `named like an outcome ("${name}")`);
      continue;
    }
    if (CONTROL.test(name)) {
      set('control', 0.8, 'named like a non-media driver (competitor, price, promotion, event, sentiment, weather, macro…)');
      continue;
    }
    if (KPI_CONTAINS.test(name) && !/per|rate|ratio|share|pct|percent/i.test(name)) {
      set('kpi', 0.7, `name contains an outcome word ("${name}")`);
      continue;
    }
    const vocab = channelWord(name);
    const pymc = PYMC_MEDIA_PREFIX.test(name);
    if (vocab || pymc) {
      const base = vocabularyChannelName(name);
      const style = pymc ? ` (x1, x2, … are media inputs in PyMC-Marketing style data)` : '';
      const said = vocab ? `"${vocab.matched}" names a${/^[aeiou]/i.test(vocab.family) ? 'n' : ''} ${vocab.family} channel${style}` : `"${name}" is a media input${style}`;
      if (vocab?.organic && !pymc) {
        set('media_activity', 0.6, `${said}, an owned/organic channel with no spend: used as activity`, { channel: base });
      } else {
        set('media_spend', pymc ? 0.75 : 0.65, `${said}; no spend/impressions word in the name, so it is taken as spend — mark it as activity if it counts impressions, clicks or GRPs`, { channel: base });
      }
      continue;
    }
    if (/^population$|^pop$|^households$/i.test(name)) {
      set('ignore', 0.7, 'population/size: a scale of the region, not a weekly driver; the model scales each region itself');
      continue;
    }
  }

  // ---- text columns: dummies or ignore ----------------------------------------------------
  const dummies: Record<string, string[]> = {};
  for (const d of drafts) {
    if (d.role || d.kind !== 'text') continue;
    const col = d.col;
    const k = distinctCount(col);
    const nonMissing = col.numericCount + col.textCount;
    if (DATE_DERIVED.test(col.name)) {
      d.role = 'ignore';
      d.confidence = 0.8;
      d.reason = `derived from the date (${col.name}); the model has its own calendar seasonality`;
    } else if (!col.dict || k > 20) {
      d.role = 'ignore';
      d.confidence = 0.8;
      d.reason = k >= 0.9 * nonMissing ? 'text identifier (a different value in almost every row)' : `text with ${Number.isFinite(k) ? k : 'many'} different values — too many categories to encode`;
    } else if (/note|comment|desc|remark|memo|text|message|title|url|link/i.test(col.name) || (k >= 2 && levelsByFrequency(col).every((l) => l.count === 1))) {
      d.role = 'ignore';
      d.confidence = 0.75;
      d.reason = 'free text (notes or one-off values), not a repeating category';
    } else if (k <= 1 && col.missingCount === 0) {
      d.role = 'ignore';
      d.confidence = 0.9;
      d.reason = `text with a single value ("${col.dict[0] ?? ''}")`;
    } else {
      const { encoded, reference, why } = dummyLevels(col);
      d.role = 'control';
      d.confidence = 0.65;
      d.dummyOf = col.name;
      d.levels = encoded;
      dummies[col.name] = encoded;
      d.reason = `a repeating category (${k} value${k === 1 ? '' : 's'}, like events or holidays) → ${encoded.length} 0/1 control(s): ${encoded.map((l) => dummyName(col.name, l)).join(', ')}; ${reference} is the reference (${why}) — untick values in the mapping to leave them out`;
    }
  }

  // ---- leftovers, constants, per-region constants -----------------------------------------
  for (const d of drafts) {
    if (d.role === 'control' && !d.dummyOf) {
      if (isConstant(d.col)) {
        d.role = 'ignore';
        d.confidence = 0.9;
        d.reason = `constant (${d.col.min}) — carries no information`;
      } else if (regionGroups && constantWithinGroups(d.col, regionGroups, nRegions)) {
        d.role = 'ignore';
        d.confidence = 0.75;
        d.reason = 'constant within each region (like population): a region size, not a weekly driver; the model scales each region itself';
      }
    }
    if (d.role) continue;
    if (isConstant(d.col)) {
      d.role = 'ignore';
      d.confidence = 0.9;
      d.reason = `constant (${d.col.min}) — carries no information`;
    } else if (isRowIndex(d.col)) {
      d.role = 'ignore';
      d.confidence = 0.8;
      d.kind = 'integer-id';
      d.reason = 'counts 0,1,2,… in row order: a row index or trend counter';
    } else if (regionGroups && constantWithinGroups(d.col, regionGroups, nRegions)) {
      d.role = 'ignore';
      d.confidence = 0.75;
      d.reason = 'constant within each region (like population): a region size, not a weekly driver; the model scales each region itself';
    } else {
      d.role = 'control';
      d.confidence = 0.4;
      d.reason = 'numeric, with no recognised name: used as a control — make it a media channel if it is spend or impressions, or ignore it';
    }
  }

  // ---- KPI: one column ---------------------------------------------------------------------
  const kpiDrafts = drafts.filter((d) => d.role === 'kpi');
  const kpiScore = (d: Draft) => {
    const nm = d.col.name.toLowerCase();
    if (/^(y|kpi|target)$/.test(nm)) return 3;
    if (KPI_PREFIX.test(nm)) return 2.5;
    if (/^(conversions?|sales|revenue|orders)$/.test(nm)) return 2;
    return d.confidence;
  };
  kpiDrafts.sort((a, b) => kpiScore(b) - kpiScore(a));
  let kpi: Draft | null = kpiDrafts[0] ?? null;
  for (const d of kpiDrafts.slice(1)) {
    d.role = 'control';
    d.confidence = 0.4;
    d.reason = `also named like an outcome, but "${kpi!.col.name}" was chosen as the KPI; used as a control — ignore it if it is another outcome`;
  }
  if (kpi && kpiDrafts.length > 1) kpi.confidence = Math.min(kpi.confidence, 0.75);
  if (!kpi) {
    // Fall back to the numeric non-media column with the largest values.
    const cands = drafts.filter((d) => d.role === 'control' && !d.dummyOf && d.confidence <= 0.4 && d.col.min >= 0);
    cands.sort((a, b) => b.col.max - a.col.max);
    if (cands[0]) {
      kpi = cands[0];
      kpi.role = 'kpi';
      kpi.confidence = 0.3;
      kpi.reason = 'no column is named like an outcome; this is the largest non-negative numeric column — please confirm';
      issues.push({ code: 'KPI_GUESSED', severity: 'warning', column: kpi.col.name, message: `No column is named like a KPI (sales, conversions, revenue, y, …). "${kpi.col.name}" was picked as the KPI; please confirm or choose another.` });
    } else {
      issues.push({ code: 'NO_KPI', severity: 'error', message: 'No numeric column can serve as the KPI (the outcome to explain). Choose the KPI column in the mapping.' });
    }
  }

  // ---- channels ----------------------------------------------------------------------------
  interface Ch { key: string; name: string; spend: Draft[]; activity: Draft[]; reach: Draft | null; freq: Draft | null; order: number }
  const channels = new Map<string, Ch>();
  drafts.forEach((d, i) => {
    if (d.role !== 'media_spend' && d.role !== 'media_activity') return;
    const base = d.channel ?? d.col.name;
    const key = channelKey(base);
    let ch = channels.get(key);
    if (!ch) {
      ch = { key, name: base, spend: [], activity: [], reach: null, freq: null, order: i };
      channels.set(key, ch);
    }
    if (d.role === 'media_spend') ch.spend.push(d);
    else if (d.rf === 'reach' && !ch.reach) ch.reach = d;
    else if (d.rf === 'frequency' && !ch.freq) ch.freq = d;
    else ch.activity.push(d);
  });
  const channelList: ChannelMapping[] = [];
  for (const ch of [...channels.values()].sort((a, b) => a.order - b.order)) {
    // A lone reach or frequency column is just an activity.
    if (ch.reach && !ch.freq) {
      ch.activity.push(ch.reach);
      ch.reach.rf = undefined;
      ch.reach = null;
    } else if (ch.freq && !ch.reach) {
      ch.freq.role = 'ignore';
      ch.freq.rf = undefined;
      ch.freq.reason = `frequency of "${ch.name}" without a reach column cannot be turned into activity; ignored`;
      ch.freq.confidence = 0.6;
      ch.freq = null;
    }
    ch.activity.sort((a, b) => activityRank(a.col.name) - activityRank(b.col.name));
    const spend = ch.spend[0] ?? null;
    const act = ch.activity[0] ?? null;
    for (const extra of [...ch.spend.slice(1), ...ch.activity.slice(1)]) {
      extra.role = 'ignore';
      extra.confidence = 0.6;
      extra.reason = `another ${extra === ch.spend[1] ? 'spend' : 'activity'} column of channel "${ch.name}"; the model uses one spend and one activity per channel`;
    }
    const names = [spend, act, ch.reach, ch.freq].filter(Boolean) as Draft[];
    if (names.length === 0) continue;
    for (const d of names) d.channel = ch.name;
    if (spend && (act || ch.reach)) {
      spend.confidence = Math.min(1, spend.confidence + 0.05);
      spend.reason += `; paired with activity "${(act ?? ch.reach)!.col.name}"`;
      if (act) act.reason += `; paired with spend "${spend.col.name}"`;
    } else if (!spend && act) {
      act.reason += ' — no spend column for this channel, so it is an activity-only (e.g. organic) channel and ROI cannot be computed';
    }
    if (act && ch.reach && ch.freq) {
      act.reason += `; reach "${ch.reach.col.name}" × frequency "${ch.freq.col.name}" is also given`;
    }
    const m: ChannelMapping = { name: ch.name, spend: spend ? spend.col.name : null, activity: act ? act.col.name : null };
    if (ch.reach && ch.freq) {
      m.reach = ch.reach.col.name;
      m.frequency = ch.freq.col.name;
    }
    channelList.push(m);
  }
  if (channelList.length === 0) {
    issues.push({ code: 'NO_MEDIA', severity: 'error', message: 'No column looks like media spend or activity (names ending in _spend, _cost, _impressions, _clicks, …). Mark at least one column as a media channel.' });
  }

  for (const d of drafts.filter((x) => x.role === 'revenue_per_kpi').slice(1)) {
    d.role = 'ignore';
    d.reason = 'another revenue-per-KPI column; only the first is used';
  }

  const guesses: ColumnGuess[] = drafts.map((d) => {
    const g: ColumnGuess = {
      column: d.col.name,
      role: d.role ?? 'ignore',
      confidence: Math.round(d.confidence * 100) / 100,
      reason: d.reason,
      kind: d.kind,
    };
    if (d.channel && (d.role === 'media_spend' || d.role === 'media_activity')) g.channel = d.channel;
    if (d.dummyOf && d.role === 'control') g.dummyOf = d.dummyOf;
    if (d.rf && d.role === 'media_activity') g.rf = d.rf;
    return g;
  });

  const controls: string[] = [];
  for (const d of drafts) {
    if (d.role !== 'control') continue;
    if (d.dummyOf) for (const l of d.levels ?? []) controls.push(dummyName(d.col.name, l));
    else controls.push(d.col.name);
  }
  const revenue = drafts.find((d) => d.role === 'revenue_per_kpi');
  const mapping: Mapping = {
    time: time ? time.d.col.name : '',
    region: regionDraft ? regionDraft.col.name : null,
    kpi: kpi ? kpi.col.name : '',
    channels: channelList,
    controls,
    ignored: drafts.filter((d) => d.role === 'ignore').map((d) => d.col.name),
    revenuePerKpi: revenue ? revenue.col.name : null,
    dummies,
  };
  if (dateOrder) mapping.dateOrder = dateOrder.chosen;
  if (n === 0) {
    issues.push({ code: table.columns.length ? 'NO_DATA_ROWS' : 'EMPTY_FILE', severity: 'error', message: table.columns.length ? 'The file has a header but no data rows.' : 'The file is empty.' });
  }
  const profiles = table.data.map((col) => profileColumn(col, time ? time.axis.days : null));
  return { guesses, mapping, frequency, issues, profiles, dateOrder };
}

const SPARK_POINTS = 80;

/** Mean per time step (sorted), then binned down to at most SPARK_POINTS points. */
export function profileColumn(col: ParsedColumn, days: Float64Array | null): ColumnProfile {
  const n = col.values.length;
  let series: number[] = [];
  if (col.numericCount > 0) {
    if (days) {
      const acc = new Map<number, { s: number; c: number }>();
      for (let i = 0; i < n; i++) {
        const d = days[i];
        const v = col.values[i];
        if (Number.isNaN(d) || Number.isNaN(v)) continue;
        const a = acc.get(d);
        if (a) {
          a.s += v;
          a.c++;
        } else acc.set(d, { s: v, c: 1 });
      }
      series = [...acc.entries()].sort((a, b) => a[0] - b[0]).map(([, a]) => a.s / a.c);
    } else {
      for (let i = 0; i < n; i++) if (!Number.isNaN(col.values[i])) series.push(col.values[i]);
    }
    if (series.length > SPARK_POINTS) {
      const out: number[] = [];
      for (let b = 0; b < SPARK_POINTS; b++) {
        const lo = Math.floor((b * series.length) / SPARK_POINTS);
        const hi = Math.max(lo + 1, Math.floor(((b + 1) * series.length) / SPARK_POINTS));
        let s = 0;
        for (let i = lo; i < hi; i++) s += series[i];
        out.push(s / (hi - lo));
      }
      series = out;
    }
  }
  const p: ColumnProfile = {
    column: col.name,
    spark: series,
    min: col.min,
    max: col.max,
    missing: col.missingCount,
    nonNumeric: col.textCount,
    distinct: col.dict ? col.dict.length : null,
  };
  if (col.dict && col.codes && col.textCount > 0 && col.dict.length <= 2000) p.levels = levelsByFrequency(col).slice(0, 20);
  return p;
}
