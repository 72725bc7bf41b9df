// fit --json reports the forecast verdict: the validation backtest per origin, media's share of the
// prediction and the verdict (machine fields + text); the human output prints the same verdict.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../web/cli/main';
import { MEDIA_SHARE_WARNING } from '../../web/src/engine/verdict';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) }, out, err };
}

interface Window { first_week: number; first_date: string; weeks: number; r2: number | null; wape: number | null; skill: { recent_mean: number | null; seasonal_naive: number | null }; n: number }

/** The rules of engine/verdict.ts, restated on the JSON (validation decides the fallback; beating
 * means skill > 0 on every scored window). */
function expectConsistent(j: { validation: Window[]; holdout: { skill: { recent_mean: number | null; seasonal_naive: number | null }; n: number }; media_share: number | null; verdict: Record<string, unknown> }) {
  const v = j.verdict;
  const validationSkill = j.validation[0].skill.recent_mean;
  expect(v.fallback).toBe(validationSkill !== null && validationSkill < 0 ? 'recent_mean' : 'none');
  const recent = [validationSkill, j.holdout.skill.recent_mean].filter((x): x is number => x !== null);
  const seasonal = [j.validation[0].skill.seasonal_naive, j.holdout.skill.seasonal_naive].filter((x): x is number => x !== null);
  expect(v.beats_naive).toBe(recent.length > 0 && recent.every((s) => s > 0) && seasonal.every((s) => s > 0));
  expect(v.text).toMatch(v.beats_naive ? /^The model forecasts \S+ better than each region’s recent average/ : /does not beat a naive forecast|not better than the same week last year/);
  if (v.fallback === 'recent_mean') {
    const f = v.fallback_holdout as { r2: number; wape: number; n: number };
    expect(f.n).toBe(j.holdout.n);
    expect(Number.isFinite(f.r2) && f.wape > 0).toBe(true);
    expect(v.text).toContain('The forecast shown for the held-out weeks is the naive one');
  } else expect(v.fallback_holdout).toBeNull();
  expect(typeof j.media_share).toBe('number');
  expect(v.media_share_warning === null).toBe(j.media_share! <= MEDIA_SHARE_WARNING);
}

describe('mmm-studio fit: verdict, validation and media share', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-cli-verdict-'));
  const csv = join(dir, 'demo.csv');
  beforeAll(async () => {
    expect(await main(['demo', '--out', csv, '--regions', '6', '--weeks', '70', '--channels', '3', '--seed', '5'], capture().io)).toBe(0);
  });

  it('fit --json adds validation (per origin), media_share and verdict', async () => {
    const c = capture();
    expect(await main(['fit', csv, '--json', '--epochs', '20', '--hidden', '8', '--seed', '3', '--holdout-weeks', '13'], c.io)).toBe(0);
    const j = JSON.parse(c.out.join(''));
    expect(Array.isArray(j.validation)).toBe(true);
    expect(j.validation).toHaveLength(1);
    const w: Window = j.validation[0];
    // The validation slice: the last weeks of training, ending where the 13 holdout weeks begin.
    expect(w.weeks).toBeGreaterThan(0);
    expect(w.first_week + w.weeks).toBe(70 - 13);
    expect(w.first_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(w.n).toBe(6 * w.weeks);
    for (const k of ['r2', 'wape'] as const) expect(typeof w[k]).toBe('number');
    expect(typeof w.skill.recent_mean).toBe('number');
    expect(j.media_share).toBeGreaterThan(0);
    expect(j.media_share).toBeLessThan(1.5);
    expect(Object.keys(j.verdict).sort()).toEqual(['beats_naive', 'calibration_shift_notice', 'calibration_warning', 'fallback', 'fallback_holdout', 'media_share_warning', 'text']);
    expect(j.verdict.calibration_warning).toBeNull();  // no experiments
    expect(j.verdict.calibration_shift_notice).toBeNull();
    expect(typeof j.verdict.beats_naive).toBe('boolean');
    expectConsistent(j);

    // The human output prints the same verdict, the validation row and the media share.
    const h = capture();
    expect(await main(['fit', csv, '--epochs', '20', '--hidden', '8', '--seed', '3', '--holdout-weeks', '13', '-q'], h.io)).toBe(0);
    const text = h.out.join('\n');
    expect(text).toContain(`Verdict: ${j.verdict.text}`);
    expect(text).toMatch(new RegExp(`validation from ${w.first_date} \\(${w.weeks} weeks\\): R² `));
    expect(text).toContain(`Media share of the prediction (training weeks): ${(100 * j.media_share).toFixed(1)}%`);
  });

  it('a barely trained model gets a consistent verdict too (one epoch)', async () => {
    const c = capture();
    expect(await main(['fit', csv, '--json', '--epochs', '1', '--hidden', '4', '--seed', '3', '--holdout-weeks', '13', '-q'], c.io)).toBe(0);
    expectConsistent(JSON.parse(c.out.join('')));
  });
});
