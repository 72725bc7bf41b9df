// Odd but legal results never crash a builder: no controls, one week of holdout, missing actuals,
// a channel with zero spend, no channels at all.
import { describe, expect, it } from 'vitest';
import type { ModelResults } from '../../../web/src/engine/results';
import { VIEWS } from '../../../web/src/charts/index';
import { makeResults } from './fixture';
import { compileSpec } from './helpers';

function buildAll(r: ModelResults) {
  for (const v of VIEWS) {
    if (!v.available(r)) continue;
    const spec = v.build(r, {});
    expect(compileSpec(spec).warnings, v.id).toEqual([]);
  }
}

describe('robustness', () => {
  it('handles missing actuals (NaN) and an all-zero channel', () => {
    const r = makeResults();
    const { weeks: T, channels: C } = r.shape;
    for (let t = 0; t < T; t += 7) r.actual[t] = NaN;
    for (let i = 0; i < r.shape.regions * T; i++) {
      r.media[i * C] = 0;
      r.mediaInput[i * C] = 0;
      r.scaledMedia[i * C] = 0;
    }
    buildAll(r);
  });

  it('handles tiny panels', () => {
    buildAll(makeResults({ regions: 1, weeks: 6, channels: 2, controls: 0, holdoutWeeks: 1, history: 1 }));
  });

  it('handles results without channels', () => {
    const r = makeResults({ channels: 0, truth: false, budget: false });
    expect(VIEWS.filter((v) => v.available(r)).map((v) => v.id)).not.toContain('contribution-by-channel');
    buildAll(r);
  });

  it('handles many channels (palette beyond 20 colours, 2-column legends)', () => {
    buildAll(makeResults({ regions: 3, weeks: 30, channels: 45, controls: 12 }));
  });
});
