// The command line on the real wasm: demo → inspect → fit, JSON shapes and exit codes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../web/cli/main';
import { readCsvLines } from './helpers';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) }, out, err };
}

describe('mmm-studio CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-cli-'));
  const csv = join(dir, 'demo.csv');

  it('demo writes the example data and its truth', async () => {
    const c = capture();
    expect(await main(['demo', '--out', csv, '--regions', '6', '--weeks', '70', '--channels', '3', '--seed', '5'], c.io)).toBe(0);
    const lines = readCsvLines(csv);
    expect(lines[0]).toMatch(/^week,region,TV_spend,Search_spend,Social_spend,TV_impressions/);
    expect(lines).toHaveLength(1 + 6 * 70);
    const truth = JSON.parse(readFileSync(join(dir, 'demo.truth.json'), 'utf8'));
    expect(truth.channels).toHaveLength(3);
  });

  it('inspect --json finds the roles of the demo file', async () => {
    const c = capture();
    expect(await main(['inspect', csv, '--json'], c.io)).toBe(0);
    const j = JSON.parse(c.out.join(''));
    expect(j).toMatchObject({ regions: 6, weeks: 70, kpi: 'sales' });
    expect(j.media.map((m: { name: string }) => m.name)).toEqual(['TV', 'Search', 'Social']);
    expect(j.media[0]).toMatchObject({ spend: 'TV_spend', activity: 'TV_impressions' });
  });

  it('fit --json prints the documented summary and writes --out files', async () => {
    const c = capture();
    const out = join(dir, 'fit');
    expect(await main(['fit', csv, '--json', '--epochs', '20', '--hidden', '8', '--seed', '3', '--out', out], c.io)).toBe(0);
    const j = JSON.parse(c.out.join(''));
    expect(j.shape).toEqual({ regions: 6, weeks: 70, channels: 3, controls: 3 });
    for (const part of ['train', 'holdout']) {
      for (const k of ['r2', 'r2_within', 'rmse', 'mae', 'wape', 'rel_error', 'r2_region_median']) expect(typeof j[part][k]).toBe('number');
      expect(j[part].skill).toHaveProperty('recent_mean');
      expect(j[part].skill).toHaveProperty('seasonal_naive');
    }
    expect(j.engine).toEqual({ variant: 'core-st', threads: 1 });
    expect(j.seed).toBe(3);
    expect(j.epochs).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).shape).toEqual(j.shape);
    expect(readCsvLines(join(out, 'contributions.csv'))[0]).toBe('region,week,component,value');

    // predict on the same file with the saved bundle reproduces fit's metrics exactly.
    const p = capture();
    expect(await main(['predict', join(out, 'model.mmm'), csv, '--json'], p.io)).toBe(0);
    const pj = JSON.parse(p.out.join(''));
    expect(pj.predictions).toHaveLength(6 * 70);
    expect(pj.predictions[0]).toMatchObject({ region: expect.any(String), week: expect.stringMatching(/^\d{4}-/), prediction: expect.any(Number), actual: expect.any(Number) });
    expect(pj.metrics.holdout).toEqual(j.holdout);
    expect(pj.metrics.train).toEqual(j.train);

    // Without --json: the same predictions as CSV from the one writer, with no BOM on stdout.
    const t = capture();
    expect(await main(['predict', join(out, 'model.mmm'), csv], t.io)).toBe(0);
    const text = t.out.join('');
    expect(text.startsWith('region,week,prediction,actual\r\n')).toBe(true);
    const rows = text.trimEnd().split('\r\n');
    expect(rows).toHaveLength(1 + 6 * 70);
    expect(Number(rows[1].split(',')[2])).toBe(pj.predictions[0].prediction);
  });

  it('predict reports a damaged bundle and a mismatched file clearly', async () => {
    const out = join(dir, 'fit');
    const bad = join(dir, 'bad.mmm');
    const bytes = readFileSync(join(out, 'model.mmm'));
    bytes[bytes.length - 300] ^= 1;
    writeFileSync(bad, bytes);
    let c = capture();
    expect(await main(['predict', bad, csv], c.io)).toBe(1);
    expect(c.err.join('')).toMatch(/modified or damaged/);
    const other = join(dir, 'other.csv');
    expect(await main(['demo', '--out', other, '--regions', '6', '--weeks', '70', '--channels', '2', '--seed', '5'], capture().io)).toBe(0);
    c = capture();
    expect(await main(['predict', join(out, 'model.mmm'), other], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/Social/);
  });

  it('fit with --threads 2 runs on core-mt', async () => {
    const c = capture();
    expect(await main(['fit', csv, '--json', '--epochs', '5', '--hidden', '8', '--threads', '2'], c.io)).toBe(0);
    expect(JSON.parse(c.out.join('')).engine).toEqual({ variant: 'core-mt', threads: 2 });
  });

  it('bad input gives a clear message and a non-zero exit', async () => {
    let c = capture();
    expect(await main(['fit', join(dir, 'missing.csv')], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/no such file/);
    c = capture();
    expect(await main(['fit', csv, '--dag', 'circular'], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/--dag must be 'triangular' or 'notears'/);
    c = capture();
    expect(await main(['fit', csv, '--kpi', 'revenue'], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/no column 'revenue'/);
    const dup = join(dir, 'dup.csv');
    writeFileSync(dup, 'week,spend_tv,sales\n2024-01-01,1,10\n2024-01-01,2,11\n' + Array.from({ length: 60 }, (_, i) => `2024-${String(2 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},1,2`).join('\n'));
    c = capture();
    expect(await main(['fit', dup], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/cannot be used for training/);
    c = capture();
    expect(await main(['frobnicate'], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/unknown command 'frobnicate'/);
  });
});
