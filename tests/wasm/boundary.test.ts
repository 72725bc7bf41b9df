// The wasm boundary in Node: build info, structured errors, threads, sessions and the heap.
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../web/src/engine/errors';
import { VARIANTS, engineFor, tinyPanel } from './helpers';

describe.each(VARIANTS)('%s', (variant) => {
  it('reports its build: Eigen 3.4, SIMD on, threads only in core-mt', async () => {
    const info = (await engineFor(variant)).buildInfo();
    expect(info.eigen).toBe('3.4.0');
    expect(info.target).toBe('wasm');
    expect(info.simd).toBe(true);
    expect(info.compiler).toMatch(/emscripten/);
    expect(info.threads).toBe(variant === 'core-mt');
    expect(info.maxThreads).toBe(variant === 'core-mt' ? 4 : 1);
  });

  it('runs a reduction on its thread pool (several workers in core-mt)', async () => {
    const engine = await engineFor(variant);
    const r = engine.threadedSum(1_000_000, 4);
    expect(r.sum).toBe(499999500000);
    expect(r.threads).toBe(variant === 'core-mt' ? 4 : 1);
    if (variant === 'core-mt') expect(r.distinctWorkers).toBeGreaterThan(1);
  });

  it.each([
    ['invalid-data', 'INVALID_DATA', /tv_spend/],
    ['invalid-config', 'INVALID_CONFIG', /hidden/],
    ['numeric', 'NUMERIC_FAILURE', /NaN/],
    ['std', 'INTERNAL', /runtime_error/],
    ['bad-alloc', 'OUT_OF_MEMORY', /memory/],
    ['unknown', 'INTERNAL', /unknown exception/],
  ])('turns a C++ %s exception into a readable %s error and keeps working', async (kind, code, text) => {
    const engine = await engineFor(variant);
    let caught: unknown;
    try {
      engine.raiseForTest(kind);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(EngineError);
    expect((caught as EngineError).code).toBe(code);
    expect((caught as EngineError).message).toMatch(text);
    // The module did not abort: it still answers.
    expect(engine.buildInfo().simd).toBe(true);
  });

  it('creates, describes and disposes a session', async () => {
    const engine = await engineFor(variant);
    const s = engine.createSession(tinyPanel());
    expect(s).toMatchObject({ regions: 3, weeks: 20, channels: 2, controls: 1, hasSpend: false });
    expect(engine.sessionInfo(s.id).channelNames).toEqual(['ch0', 'ch1']);
    engine.disposeSession(s.id);
    expect(() => engine.sessionInfo(s.id)).toThrow(/does not exist/);
  });

  it('rejects a bad panel with a message naming the problem', async () => {
    const engine = await engineFor(variant);
    const p = tinyPanel();
    p.media[5] = -1;
    expect(() => engine.createSession(p)).toThrow(/media at region 0, week 2, column 'ch1' is -1/);
    const short = { ...tinyPanel(), kpi: new Float32Array(3) };
    expect(() => engine.createSession(short)).toThrow(/kpi has 3 values; expected 60/);
  });

  it('does not grow the heap over 1,000 create/dispose cycles', async () => {
    const engine = await engineFor(variant);
    const panel = tinyPanel(10, 52, 4);
    // Warm up so allocator pools exist before measuring.
    for (let i = 0; i < 20; i++) engine.disposeSession(engine.createSession(panel).id);
    const before = engine.heapStats();
    for (let i = 0; i < 1000; i++) engine.disposeSession(engine.createSession(panel).id);
    const after = engine.heapStats();
    expect(after.sessions).toBe(0);
    expect(after.heapBytes).toBe(before.heapBytes);
    expect(after.allocatedBytes - before.allocatedBytes).toBeLessThanOrEqual(1024);
  });
});

describe.each(VARIANTS)('%s demo data', (variant) => {
  it('generates the example business with known truth, deterministically for a seed', async () => {
    const engine = await engineFor(variant);
    const a = engine.generateDemo({ regions: 12, weeks: 60, channels: 5, seed: 7 });
    const b = engine.generateDemo({ regions: 12, weeks: 60, channels: 5, seed: 7 });
    expect(a.panel).toMatchObject({ regions: 12, weeks: 60, channels: 5, controls: 3 });
    expect(a.panel.media.length).toBe(12 * 60 * 5);
    expect(a.panel.dates[0]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(a.panel.weekOfYear.length).toBe(60);
    expect(Array.from(a.panel.kpi)).toEqual(Array.from(b.panel.kpi));
    expect(a.truth.channels.map((c) => c.channel)).toEqual(a.panel.channelNames);
    expect(a.truth.edges.length).toBeGreaterThan(0);
    const shares = a.truth.channels.reduce((s, c) => s + c.share, 0);
    expect(shares).toBeCloseTo(1, 5);
    // The demo panel is a valid engine input.
    const s = engine.createSession(a.panel);
    expect(s.hasSpend).toBe(true);
    engine.disposeSession(s.id);
  });

  it('rejects an impossible demo size with the field named', async () => {
    const engine = await engineFor(variant);
    expect(() => engine.generateDemo({ regions: 0 })).toThrow(/regions/);
  });
});
