// Model bundles on the real wasm: save → open gives bit-identical predictions and results; a
// truncated, modified, newer-format or foreign file is rejected with a specific message.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLE_FORMAT, BundleError, readBundle } from '../../web/src/export/bundle';
import { exportModelBundle, importModelBundle } from '../../web/src/export/model-bundle';
import { runFit, toModelResults } from '../../web/src/engine/fit-runner';
import { APP_VERSION } from '../../web/src/version';
import { VARIANTS, engineFor } from './helpers';

const same = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  const x = new Uint8Array(Float32Array.from(a).buffer);
  const y = new Uint8Array(Float32Array.from(b).buffer);
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

describe.each(VARIANTS)('model bundle on %s', (variant) => {
  it('round-trips to bit-identical predictions, contributions and metrics', async () => {
    const engine = await engineFor(variant);
    const demo = engine.generateDemo({ regions: 6, weeks: 70, channels: 3, seed: 4 });
    const s = engine.createSession(demo.panel);
    const core = await runFit(engine, s.id, { epochs: 15, hidden: 8 });
    const results = toModelResults(core, { variant, threads: 1 });
    const bytes = await exportModelBundle(engine, s.id, results, { dataName: 'demo', mapping: null, data: 'a,b\n1,2\n', appVersion: APP_VERSION });
    const opened = await importModelBundle(engine, bytes);
    expect(same(opened.core.prediction, results.prediction)).toBe(true);
    expect(same(opened.core.media, results.media)).toBe(true);
    expect(same(opened.core.coefficients, results.coefficients)).toBe(true);
    expect(opened.core.metrics.holdout).toEqual(results.metrics.holdout);
    expect(opened.core.dates).toEqual(results.dates);
    expect(same(opened.core.spend!, results.spend!)).toBe(true);
    expect(opened.data).toBe('a,b\n1,2\n');
    expect(opened.meta).toMatchObject({ format: BUNDLE_FORMAT, app: { name: 'MMM Studio', version: APP_VERSION }, dataName: 'demo', includesData: true });
    expect(opened.meta.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    // Saving the opened model again gives the same model bytes.
    expect(engine.saveFit(opened.sessionId)).toEqual(engine.saveFit(s.id));
    engine.disposeSession(opened.sessionId);
    engine.disposeSession(s.id);
  });
});

describe('bundle validation', () => {
  const make = async () => {
    const engine = await engineFor('core-st');
    const s = engine.createSession(engine.generateDemo({ regions: 3, weeks: 60, channels: 2, seed: 1 }).panel);
    const core = await runFit(engine, s.id, { epochs: 5, hidden: 4 });
    const bytes = await exportModelBundle(engine, s.id, toModelResults(core, { variant: 'core-st', threads: 1 }), { dataName: 'x', mapping: null, data: null, appVersion: APP_VERSION });
    engine.disposeSession(s.id);
    return bytes;
  };
  const rejects = async (bytes: Uint8Array, code: BundleError['code'], text: RegExp) => {
    const err = await readBundle(bytes).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(BundleError);
    expect((err as BundleError).code).toBe(code);
    expect((err as BundleError).message).toMatch(text);
  };

  it('rejects a truncated file', async () => {
    const b = await make();
    await rejects(b.slice(0, b.length - 100), 'TRUNCATED', /truncated: it should have \d+ bytes but has \d+/);
    await rejects(b.slice(0, 20), 'TRUNCATED', /truncated/);
  });

  it('rejects a modified file (one flipped byte in the model)', async () => {
    const b = await make();
    b[b.length - 200] ^= 0x01;
    await rejects(b, 'DAMAGED', /modified or damaged: its checksum does not match/);
  });

  it('rejects a bundle from a newer format version', async () => {
    const b = await make();
    new DataView(b.buffer).setUint32(8, BUNDLE_FORMAT + 1, true);
    await rejects(b, 'NEWER_FORMAT', new RegExp(`newer MMM Studio \\(bundle format ${BUNDLE_FORMAT + 1}`));
  });

  it('rejects a file that is not a bundle', async () => {
    await rejects(new TextEncoder().encode('week,sales\n2024-01-01,5\n'), 'NOT_A_BUNDLE', /not an MMM Studio model bundle/);
  });

  it('keeps the app version equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(APP_VERSION).toBe(pkg.version);
  });
});
