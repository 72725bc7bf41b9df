// The verdict's TS arithmetic against the core's own figures on a real fit (core-st): scoring the
// model's prediction in TS gives the core's train and holdout metrics, and the media share equals
// the core's contribution totals over the same weeks.
import { describe, expect, it } from 'vitest';
import { runFit, toModelResults } from '../../web/src/engine/fit-runner';
import { scoreForecast } from '../../web/src/engine/forecast-score';
import type { Metrics } from '../../web/src/engine/results';
import { forecastVerdict, trainingMediaShare } from '../../web/src/engine/verdict';
import { engineFor } from './helpers';

describe('verdict arithmetic vs the core', () => {
  it('scoreForecast reproduces the core’s R², WAPE and skills; media share matches the core’s totals', async () => {
    const engine = await engineFor('core-st');
    const demo = engine.generateDemo({ regions: 6, weeks: 120, channels: 3, seed: 11 });
    const session = engine.createSession(demo.panel);
    try {
      const core = await runFit(engine, session.id, { epochs: 20, hidden: 8, seed: 4, holdoutWeeks: 13 });
      const r = toModelResults(core, { variant: 'core-st', threads: 1 });
      const shape = r.shape;
      const check = (ts: ReturnType<typeof scoreForecast>, m: Metrics) => {
        expect(ts.n).toBe(m.n);
        expect(ts.r2).toBeCloseTo(m.r2, 6);
        expect(ts.wape).toBeCloseTo(m.wape, 6);
        expect(ts.skillRecent!).toBeCloseTo(m.skill.recent_mean, 6);
        // Available exactly when the core has it (the training window starts within the first year).
        expect(ts.skillSeasonal === null).toBe(m.skill.seasonal_naive === null);
        if (m.skill.seasonal_naive !== null) expect(ts.skillSeasonal!).toBeCloseTo(m.skill.seasonal_naive, 6);
      };
      expect(r.metrics.holdout.skill.seasonal_naive).not.toBeNull();
      check(scoreForecast(r.actual, r.prediction, shape, r.trainEnd, shape.weeks, r.trainEnd), r.metrics.holdout);
      check(scoreForecast(r.actual, r.prediction, shape, r.burnIn, r.trainEnd, r.trainEnd), r.metrics.train);

      const totals = engine.contributionTotals(session.id, { from: r.burnIn, to: r.trainEnd });
      expect(trainingMediaShare(r)).toBeCloseTo(totals.mediaShareOfPrediction, 5);

      // The validation slice arrives from the core and becomes the one backtest origin.
      const v = forecastVerdict(r);
      expect(r.metrics.validation!.n).toBe(shape.regions * r.validationWeeks);
      expect(v.validation).toHaveLength(1);
      expect(v.validation[0].skillRecent).toBe(r.metrics.validation!.skill.recent_mean);
      expect(v.holdout!.r2).toBe(r.metrics.holdout.r2);
    } finally {
      engine.disposeSession(session.id);
    }
  });
});
