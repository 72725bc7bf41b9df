// Uncertainty intervals from an ensemble of fits (issue 13). The main fit is member 1; members
// 2..K are fits of the same panel that differ by their initialisation seed (seed + k) and by a
// moving-block bootstrap of the training weeks (bootstrapSeed k; core/include/mmm/calibration.hpp).
// Each member is analysed like the main fit (economics, response curves, budget plan); the figures
// are then summarised per quantity as an interval at `level`, widened by `widen` around the
// ensemble median because raw ensembles are over-confident (the factor is measured by
// tests/bench/coverage.mjs on data with known truth; see the README, "Uncertainty intervals").
// The point estimate stays the main fit's figure (what every view shows without an ensemble); the
// interval is stretched to contain it when the ensemble alone would not.
import { quantileSorted } from '../charts/data';
import type { AnalysisOptions, FitOptions, PanelSpec } from './core-types';
import type { Engine } from './engine';
import { EngineError } from './errors';
import { runFit, toModelResults, withAnalysis, type AnalysisProgress, type FitProgress } from './fit-runner';
import type { ModelResults } from './results';

/** Interval level when none is given. */
export const DEFAULT_INTERVAL_LEVEL = 0.9;
/** Ensemble size when none is given: with the widening below, 8 fits cover the target on the tuning
 * data with intervals about as wide as 5 or 10 fits need, and their quantiles are steadier than 5
 * fits' (tests/bench/coverage.mjs). */
export const DEFAULT_ENSEMBLE_SIZE = 8;
/** The widening of the raw 90 % interval around the ensemble median that made the ROI intervals
 * cover 85 % of true ROIs on the tuning data — demo seeds 1-5 and the quality harness's generator
 * variants at seed 1 together (the demo alone shares the model's form: widening chosen on it gave
 * 62 % on the variants) — by ensemble size (tests/bench/coverage.mjs, Dec 2026; at K = 8 the
 * held-out demo seeds 6-12 96 %, the variants at seed 2 79 %, growing_business 100 %). Smaller
 * ensembles under-state the spread more, so they need more widening. */
const MEASURED_WIDEN: [k: number, widen: number][] = [[3, 8.5], [5, 6.75], [8, 6.5], [10, 5.75]];

/** The measured widening for an ensemble of k fits: that of the largest measured size <= k (a
 * smaller ensemble than any measured takes the smallest's, the widest). */
export function widenFor(k: number): number {
  let widen = MEASURED_WIDEN[0][1];
  for (const [size, w] of MEASURED_WIDEN) if (size <= k) widen = w;
  return widen;
}

/** The figures of one fitted member that get intervals. */
export interface MemberFigures {
  channels: string[];
  contribution: number[];
  share: number[];
  roi: (number | null)[];
  marginalRoi: (number | null)[];
  /** Response-curve y per channel name and factor. */
  curves: Map<string, number[]>;
  /** Prediction [R*T] (region-major) and national total per week [T]. */
  prediction: Float32Array;
  national: Float64Array;
  upliftPct: number | null;
  simulatedUpliftPct: number | null;
  /** The plan the uplift belongs to (the analysis' default plan). */
  plan?: { mode: string; budget: number; weeks: number };
}

export interface Interval {
  lo: number;
  hi: number;
}

export interface ChannelIntervals {
  channel: string;
  contribution: Interval;
  share: Interval;
  roi: Interval | null;
  marginalRoi: Interval | null;
}

export interface EnsembleIntervals {
  /** Members (the main fit included). */
  k: number;
  level: number;
  widen: number;
  channels: ChannelIntervals[];
  /** y bounds per factor, in the order of the main fit's curves. */
  responseCurves: { channel: string; lo: number[]; hi: number[] }[];
  forecast: { lo: Float32Array; hi: Float32Array; nationalLo: number[]; nationalHi: number[] };
  /** The uplift of the plan `forPlan` (each member optimises its own allocation of that budget);
   * a plan made later with other settings has no interval. */
  budget: { upliftPct: Interval | null; simulatedUpliftPct: Interval | null; forPlan?: { mode: string; budget: number; weeks: number } } | null;
  /** Each member's ROI per channel (member 1 = the main fit), for calibration and inspection. */
  memberRoi: (number | null)[][];
  /** Seconds the K - 1 extra members took (fit and analysis). */
  seconds: number;
}

export interface EnsembleProgress {
  phase: 'ensemble';
  /** 1-based; member 1 is the main fit, so progress starts at member 2. */
  member: number;
  members: number;
  fit?: FitProgress;
  analysis?: AnalysisProgress;
}

export interface EnsembleRunOptions {
  k: number;
  level?: number;
  /** Default: widenFor(k), the factor measured for that ensemble size. */
  widen?: number;
  analysis?: AnalysisOptions;
  onProgress?: (p: EnsembleProgress) => void;
  cancelled?: () => boolean;
  sliceSeconds?: number;
  yieldBetweenSlices?: () => Promise<void>;
}

/** Checks the ensemble size and level; a clear message instead of silently odd intervals. */
export function checkEnsembleSettings(k: number, level: number, widen: number): void {
  if (!Number.isInteger(k) || k < 2 || k > 100)
    throw new EngineError('INVALID_CONFIG', `ensemble size ${k} is not usable: give a whole number of fits from 2 to 100 (${DEFAULT_ENSEMBLE_SIZE} is the default)`);
  if (!(level > 0 && level < 1))
    throw new EngineError('INVALID_CONFIG', `interval level ${level} is not usable: give a probability strictly between 0 and 1, e.g. 0.9 for 90 % intervals`);
  if (!(widen >= 1 && widen <= 20))
    throw new EngineError('INVALID_CONFIG', `interval widening ${widen} is not usable: give a factor from 1 (the raw ensemble) to 20`);
}

/** The figures of a fitted and analysed model that get intervals. */
export function memberFigures(r: ModelResults): MemberFigures {
  const { regions, weeks } = r.shape;
  const national = new Float64Array(weeks);
  for (let reg = 0; reg < regions; reg++) for (let t = 0; t < weeks; t++) national[t] += r.prediction[reg * weeks + t];
  return {
    channels: r.economics.map((e) => e.channel),
    contribution: r.economics.map((e) => e.contribution),
    share: r.economics.map((e) => e.share),
    roi: r.economics.map((e) => e.roi),
    marginalRoi: r.economics.map((e) => e.marginalRoi),
    curves: new Map(r.responseCurves.map((c) => [c.channel, c.y])),
    prediction: r.prediction,
    national,
    upliftPct: r.budget && Number.isFinite(r.budget.upliftPct) ? r.budget.upliftPct : null,
    simulatedUpliftPct: r.budget && Number.isFinite(r.budget.simulatedUpliftPct) ? r.budget.simulatedUpliftPct : null,
    ...(r.budget && { plan: { mode: r.budget.mode, budget: r.budget.budget, weeks: r.budget.weeks } }),
  };
}

/** The interval at `level` of the members' values, widened `widen` times around their median and
 * stretched to contain the point estimate; its lower end is at least `floor` (a quantity that cannot
 * be negative gets no negative bound from the widening). null when a member or the point has no
 * value. */
export function intervalOf(values: (number | null)[], point: number | null, level: number, widen: number, floor = -Infinity): Interval | null {
  if (point === null || !Number.isFinite(point) || values.some((v) => v === null || !Number.isFinite(v))) return null;
  const sorted = Float64Array.from(values as number[]).sort();
  const tail = (1 - level) / 2;
  const median = quantileSorted(sorted, 0.5);
  const lo = median - widen * (median - quantileSorted(sorted, tail));
  const hi = median + widen * (quantileSorted(sorted, 1 - tail) - median);
  return { lo: Math.min(Math.max(lo, floor), point), hi: Math.max(hi, point) };
}

/** intervalOf for a channel's contribution, share, ROI, marginal ROI and response curve: the model's
 * media effects are non-negative by construction (softplus coefficients on non-negative transforms),
 * so their intervals stop at 0. */
export const nonNegativeInterval = (values: (number | null)[], point: number | null, level: number, widen: number): Interval | null =>
  intervalOf(values, point, level, widen, 0);

/** Intervals from the main fit's figures and every member's (the main fit's included). */
export function summarizeEnsemble(main: MemberFigures, members: MemberFigures[], level: number, widen: number, seconds = 0): EnsembleIntervals {
  const k = members.length;
  const channelIndex = (m: MemberFigures, name: string) => {
    const i = m.channels.indexOf(name);
    if (i < 0) throw new EngineError('INTERNAL', `ensemble member has no figures for channel '${name}'`);
    return i;
  };
  const across = (pick: (m: MemberFigures) => number | null) => members.map(pick);
  const channels = main.channels.map((name, c) => ({
    channel: name,
    contribution: nonNegativeInterval(across((m) => m.contribution[channelIndex(m, name)]), main.contribution[c], level, widen) ?? { lo: NaN, hi: NaN },
    share: nonNegativeInterval(across((m) => m.share[channelIndex(m, name)]), main.share[c], level, widen) ?? { lo: NaN, hi: NaN },
    roi: nonNegativeInterval(across((m) => m.roi[channelIndex(m, name)]), main.roi[c], level, widen),
    marginalRoi: nonNegativeInterval(across((m) => m.marginalRoi[channelIndex(m, name)]), main.marginalRoi[c], level, widen),
  }));
  const responseCurves = [...main.curves].map(([channel, y]) => {
    const lo: number[] = [];
    const hi: number[] = [];
    y.forEach((point, i) => {
      const iv = nonNegativeInterval(across((m) => m.curves.get(channel)?.[i] ?? null), point, level, widen);
      lo.push(iv ? iv.lo : NaN);
      hi.push(iv ? iv.hi : NaN);
    });
    return { channel, lo, hi };
  });
  const cells = main.prediction.length;
  const lo = new Float32Array(cells);
  const hi = new Float32Array(cells);
  const column: number[] = new Array(k);
  for (let i = 0; i < cells; i++) {
    for (let j = 0; j < k; j++) column[j] = members[j].prediction[i];
    const iv = intervalOf(column, main.prediction[i], level, widen);
    lo[i] = iv ? iv.lo : NaN;
    hi[i] = iv ? iv.hi : NaN;
  }
  const nationalLo: number[] = [];
  const nationalHi: number[] = [];
  main.national.forEach((point, t) => {
    const iv = intervalOf(across((m) => m.national[t]), point, level, widen);
    nationalLo.push(iv ? iv.lo : NaN);
    nationalHi.push(iv ? iv.hi : NaN);
  });
  const budget = main.upliftPct === null && main.simulatedUpliftPct === null ? null : {
    upliftPct: intervalOf(across((m) => m.upliftPct), main.upliftPct, level, widen),
    simulatedUpliftPct: intervalOf(across((m) => m.simulatedUpliftPct), main.simulatedUpliftPct, level, widen),
    ...(main.plan && { forPlan: main.plan }),
  };
  return {
    k, level, widen, channels, responseCurves, budget, seconds,
    forecast: { lo, hi, nationalLo, nationalHi },
    memberRoi: members.map((m) => m.roi),
  };
}

/** The intervals as a model bundle stores them (JSON): without the per-region-week forecast bounds,
 * which would make a big panel's bundle megabytes larger; the national forecast band stays. */
export type StoredIntervals = Omit<EnsembleIntervals, 'forecast'> & { forecast: { nationalLo: number[]; nationalHi: number[] } };

export function storableIntervals(iv: EnsembleIntervals): StoredIntervals {
  return { ...iv, forecast: { nationalLo: iv.forecast.nationalLo, nationalHi: iv.forecast.nationalHi } };
}

/** Intervals from a bundle: the per-region-week forecast bounds are empty (not stored). */
export function intervalsFromStore(s: StoredIntervals): EnsembleIntervals {
  return { ...s, forecast: { lo: new Float32Array(0), hi: new Float32Array(0), nationalLo: s.forecast.nationalLo, nationalHi: s.forecast.nationalHi } };
}

/** The options of ensemble member k (2..K): the main fit's options with its seed moved by k - 1
 * and bootstrap k - 1 (deterministic in the main fit's seed). */
export function memberOptions(options: FitOptions, mainSeed: number, k: number): FitOptions {
  return { ...options, seed: mainSeed + (k - 1), bootstrapSeed: k - 1 };
}

/** Fits and analyses members 2..K of the ensemble on a session of their own (the main fit's session
 * keeps its model), then summarises all K. `main` is the analysed main fit of the same panel and
 * options. Cancel (run.cancelled) stops within one slice and disposes the member session. */
export async function runEnsemble(engine: Engine, panel: PanelSpec, main: ModelResults, options: FitOptions, run: EnsembleRunOptions): Promise<EnsembleIntervals> {
  const level = run.level ?? DEFAULT_INTERVAL_LEVEL;
  const widen = run.widen ?? widenFor(run.k);
  checkEnsembleSettings(run.k, level, widen);
  const started = performance.now();
  const mainFigures = memberFigures(main);
  const members = [mainFigures];
  const session = engine.createSession(panel);
  try {
    for (let k = 2; k <= run.k; k++) {
      const report = (p: Omit<EnsembleProgress, 'phase' | 'member' | 'members'>) => run.onProgress?.({ phase: 'ensemble', member: k, members: run.k, ...p });
      const core = await runFit(engine, session.id, memberOptions(options, main.seed, k), {
        onProgress: (fit) => report({ fit }),
        cancelled: run.cancelled,
        sliceSeconds: run.sliceSeconds,
        yieldBetweenSlices: run.yieldBetweenSlices,
      });
      if (run.cancelled?.()) throw new EngineError('CANCELLED', `uncertainty estimate cancelled after ${k - 1} of ${run.k} fits; the main fit is kept`);
      const analysed = withAnalysis(engine, session.id, toModelResults(core, main.engine), run.analysis, (analysis) => report({ analysis }));
      if (analysed.analysis?.error) throw new EngineError('NUMERIC_FAILURE', `ensemble fit ${k} of ${run.k} could not be analysed: ${analysed.analysis.error}`);
      members.push(memberFigures(analysed));
      if (run.yieldBetweenSlices) await run.yieldBetweenSlices();
    }
  } finally {
    engine.disposeSession(session.id);
  }
  return summarizeEnsemble(mainFigures, members, level, widen, (performance.now() - started) / 1000);
}
