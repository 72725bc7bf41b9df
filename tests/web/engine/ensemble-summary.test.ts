// The ensemble's summary (web/src/engine/ensemble.ts): quantiles, widening around the median, the
// point estimate kept inside, nulls, and the member options that make members differ.
import { describe, expect, it } from 'vitest';
import { checkEnsembleSettings, intervalOf, memberOptions, nonNegativeInterval, summarizeEnsemble, widenFor, type MemberFigures } from '../../../web/src/engine/ensemble';

function member(roi: number, extra: Partial<MemberFigures> = {}): MemberFigures {
  return {
    channels: ['TV', 'Search'],
    contribution: [roi * 100, 50],
    share: [roi / (roi + 1), 1 / (roi + 1)],
    roi: [roi, 1],
    marginalRoi: [roi / 2, null],
    curves: new Map([['TV', [0, roi * 10, roi * 15]]]),
    prediction: Float32Array.from([roi, 2 * roi, 10, 20]),
    national: Float64Array.from([roi + 10, 2 * roi + 20]),
    upliftPct: roi,
    simulatedUpliftPct: null,
    ...extra,
  };
}

describe('intervalOf', () => {
  it('gives the linear-interpolation quantiles at the level when not widened', () => {
    // 11 values 0..10: the 5 % and 95 % quantiles are 0.5 and 9.5.
    const values = Array.from({ length: 11 }, (_, i) => 10 - i);
    expect(intervalOf(values, 5, 0.9, 1)).toEqual({ lo: 0.5, hi: 9.5 });
    expect(intervalOf(values, 5, 0.5, 1)).toEqual({ lo: 2.5, hi: 7.5 });
  });

  it('widens each side around the median by the factor (asymmetric tails stay asymmetric)', () => {
    // Median 2; raw 90 % interval [1.1, 9.2] for values 1, 2, 10.
    const raw = intervalOf([1, 2, 10], 2, 0.9, 1)!;
    expect(raw.lo).toBeCloseTo(1.1, 12);
    expect(raw.hi).toBeCloseTo(9.2, 12);
    const wide = intervalOf([1, 2, 10], 2, 0.9, 2)!;
    expect(wide.lo).toBeCloseTo(2 - 2 * 0.9, 12);
    expect(wide.hi).toBeCloseTo(2 + 2 * 7.2, 12);
  });

  it('stretches the interval to contain the point estimate (the main fit) when the members do not', () => {
    expect(intervalOf([5, 5.1, 5.2], 4, 0.9, 1)).toMatchObject({ lo: 4 });
    expect(intervalOf([5, 5.1, 5.2], 7, 0.9, 1)).toMatchObject({ hi: 7 });
  });

  it('stops at the floor: a non-negative figure gets no negative bound from the widening', () => {
    // Median 2, raw lower tail 2 - 1.1 = 0.9; widened 4x it would reach -1.6.
    expect(intervalOf([1, 2, 10], 2, 0.9, 4)!.lo).toBeCloseTo(-1.6, 12);
    expect(nonNegativeInterval([1, 2, 10], 2, 0.9, 4)!.lo).toBe(0);
    expect(nonNegativeInterval([1, 2, 10], 2, 0.9, 4)!.hi).toBe(intervalOf([1, 2, 10], 2, 0.9, 4)!.hi);
    // A point below the floor still lies inside its interval.
    expect(intervalOf([1, 2, 3], -1, 0.9, 1, 0)!.lo).toBe(-1);
  });

  it('is null when the point or any member has no value (e.g. ROI without spend)', () => {
    expect(intervalOf([1, null, 2], 1, 0.9, 1)).toBeNull();
    expect(intervalOf([1, 2, 3], null, 0.9, 1)).toBeNull();
    expect(intervalOf([1, Number.NaN, 3], 2, 0.9, 1)).toBeNull();
  });
});

describe('summarizeEnsemble', () => {
  const members = [member(3), member(2), member(4), member(2.5), member(3.5)];
  const s = summarizeEnsemble(members[0], members, 0.9, 1.5);

  it('records K, the level and the widening, and every member ROI with the main fit first', () => {
    expect(s).toMatchObject({ k: 5, level: 0.9, widen: 1.5 });
    expect(s.memberRoi.map((r) => r[0])).toEqual([3, 2, 4, 2.5, 3.5]);
  });

  it('gives each channel figure an interval around the point, matching intervalOf', () => {
    const tv = s.channels[0];
    expect(tv.channel).toBe('TV');
    expect(tv.roi).toEqual(intervalOf([3, 2, 4, 2.5, 3.5], 3, 0.9, 1.5));
    expect(tv.roi!.lo).toBeLessThan(3);
    expect(tv.roi!.hi).toBeGreaterThan(3);
    expect(tv.contribution.lo).toBeCloseTo(tv.roi!.lo * 100, 9);
    // A figure the same in every member has a zero-width interval; a missing one has none.
    expect(s.channels[1].roi).toEqual({ lo: 1, hi: 1 });
    expect(s.channels[1].marginalRoi).toBeNull();
  });

  it('keeps channel figures and response curves at or above 0 however wide the widening (regression: negative ROI bounds at x6.5)', () => {
    const wide = summarizeEnsemble(members[0], members, 0.9, 20);
    const tv = wide.channels[0];
    for (const iv of [tv.roi!, tv.marginalRoi!, tv.contribution, tv.share]) expect(iv.lo).toBe(0);
    expect(Math.min(...wide.responseCurves[0].lo)).toBe(0);
    // The forecast is not floored: a KPI may be negative.
    expect(intervalOf([3, 2, 4, 2.5, 3.5], 3, 0.9, 20)!.lo).toBeLessThan(0);
    expect(wide.forecast.lo[0]).toBeLessThan(0);
  });

  it('bands the response curves per point, the forecast per region-week and the national total per week', () => {
    expect(s.responseCurves).toHaveLength(1);
    const band = s.responseCurves[0];
    expect(band.lo[0]).toBe(0);
    expect(band.lo[1]).toBeLessThan(30);
    expect(band.hi[1]).toBeGreaterThan(30);
    expect(s.forecast.lo).toHaveLength(4);
    expect(s.forecast.lo[1]).toBeLessThan(6);
    expect(s.forecast.hi[1]).toBeGreaterThan(6);
    expect(s.forecast.lo[2]).toBe(10);
    expect(s.forecast.nationalLo[1]).toBeLessThan(26);
    expect(s.forecast.nationalHi[1]).toBeGreaterThan(26);
  });

  it('gives the budget uplift a range, and none for a figure no member has', () => {
    expect(s.budget!.upliftPct!.lo).toBeLessThan(3);
    expect(s.budget!.upliftPct!.hi).toBeGreaterThan(3);
    expect(s.budget!.simulatedUpliftPct).toBeNull();
  });

  it('is the same whatever order the members come in', () => {
    const shuffled = summarizeEnsemble(members[0], [members[0], members[3], members[1], members[4], members[2]], 0.9, 1.5);
    expect(shuffled.channels).toEqual(s.channels);
    expect(shuffled.forecast.nationalHi).toEqual(s.forecast.nationalHi);
  });

  it('names a member that lacks a channel instead of giving silently wrong intervals', () => {
    const odd = member(2, { channels: ['TV', 'Radio'] });
    expect(() => summarizeEnsemble(members[0], [members[0], odd], 0.9, 1)).toThrow(/channel 'Search'/);
  });
});

describe('ensemble settings', () => {
  it('member k moves the seed by k - 1 and bootstraps with seed k - 1 (the main fit is member 1, unbootstrapped)', () => {
    expect(memberOptions({ epochs: 10, seed: 7 }, 7, 2)).toEqual({ epochs: 10, seed: 8, bootstrapSeed: 1 });
    expect(memberOptions({}, 42, 5)).toEqual({ seed: 46, bootstrapSeed: 4 });
  });

  it('widens small ensembles more (the factors measured per size; never below the raw interval)', () => {
    expect(widenFor(2)).toBe(widenFor(3));
    expect(widenFor(3)).toBeGreaterThan(widenFor(5));
    expect(widenFor(5)).toBeGreaterThan(widenFor(8));
    expect(widenFor(8)).toBeGreaterThan(widenFor(10));
    expect(widenFor(9)).toBe(widenFor(8));
    expect(widenFor(100)).toBe(widenFor(10));
    expect(widenFor(100)).toBeGreaterThanOrEqual(1);
  });

  it('rejects an unusable size, level or widening with a message that says what to give', () => {
    expect(() => checkEnsembleSettings(1, 0.9, 1)).toThrow(/from 2 to 100/);
    expect(() => checkEnsembleSettings(2.5, 0.9, 1)).toThrow(/whole number/);
    expect(() => checkEnsembleSettings(5, 1, 1)).toThrow(/strictly between 0 and 1/);
    expect(() => checkEnsembleSettings(5, 0.9, 0.5)).toThrow(/from 1/);
    expect(() => checkEnsembleSettings(5, 0.9, 2)).not.toThrow();
  });
});
