// The example experiment shipped with the demo: a geo lift test on Search (the example's
// confounded channel: its spend follows TV's, so the KPI alone cannot tell them apart), read off
// the generator's truth. The lift is Search's true contribution over 8 weeks in half of the regions
// (every other region, as a geo test would pick test regions), with a 10 % standard error, about
// what a well-powered geo test reports. The contribution includes the carry-over of Search's spend
// from before the window (Search's adstock is short, so this is a small part of the lift).
import type { DemoData } from '../engine/core-types';
import { writeCsv } from '../export/csv';

export const EXAMPLE_TEST_WEEKS = 8;
export const EXAMPLE_RELATIVE_SE = 0.1;
/** Holdout weeks of the default fit: the test ends well before them. */
const HOLDOUT_WEEKS = 13;

export interface ExampleExperiment {
  channel: string;
  start: string;
  end: string;
  regions: string[];
  lift: number;
  liftSe: number;
}

/** The example lift test, or null when the demo has no Search channel or too few weeks. */
export function exampleExperiment(demo: DemoData): ExampleExperiment | null {
  const p = demo.panel;
  const c = p.channelNames.findIndex((n) => /search/i.test(n));
  const trainWeeks = p.weeks - HOLDOUT_WEEKS;
  if (c < 0 || trainWeeks < 2 * EXAMPLE_TEST_WEEKS) return null;
  // In the middle of the training weeks: far from the holdout and from the series' start-up.
  const start = Math.floor(trainWeeks / 2);
  const end = start + EXAMPLE_TEST_WEEKS - 1;
  const regions = Array.from({ length: p.regions }, (_, r) => r).filter((r) => p.regions === 1 || r % 2 === 0);
  const contribution = demo.truth.mediaContribution;
  let lift = 0;
  for (const r of regions) for (let t = start; t <= end; t++) lift += contribution[(r * p.weeks + t) * p.channels + c];
  if (!(lift > 0)) return null;
  return {
    channel: p.channelNames[c],
    start: p.dates[start],
    end: p.dates[end],
    regions: p.regions === 1 ? [] : regions.map((r) => p.regionNames[r]),
    lift: Math.round(lift),
    liftSe: Math.round(EXAMPLE_RELATIVE_SE * lift),
  };
}

/** The example experiment as an experiments file (web/src/calibration/experiments-file.ts reads it). */
export function exampleExperimentsCsv(demo: DemoData): string | null {
  const x = exampleExperiment(demo);
  if (!x) return null;
  return writeCsv(['channel', 'start', 'end', 'regions', 'lift', 'lift_se'], [[x.channel, x.start, x.end, x.regions.join(';'), x.lift, x.liftSe]]);
}
