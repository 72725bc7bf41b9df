// The worker's request handling (EngineHost) on the real wasm: init picks the variant and caps
// threads at the build's pool, long jobs report progress and stop on cancel between slices.
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { EngineHost } from '../../web/src/engine/handlers';
import { loadEngineInNode } from '../../web/src/engine/node-core';
import { VARIANTS, wasmDir } from './helpers';

const nodeLoader = (variant: Parameters<typeof loadEngineInNode>[0], base: string) => loadEngineInNode(variant, fileURLToPath(base));

describe.each(VARIANTS)('EngineHost on %s', (variant) => {
  it('initialises, caps threads at the pool size, and cancels a long job between slices', async () => {
    const host = new EngineHost(nodeLoader);
    const init = await host.init(variant, 16, `file://${wasmDir}`);
    expect(init.variant).toBe(variant);
    expect(init.threads).toBe(variant === 'core-mt' ? 4 : 1);
    expect(init.buildInfo.simd).toBe(true);

    const progress: unknown[] = [];
    let cancel = false;
    const ctx = {
      progress: (d: Record<string, unknown>) => {
        progress.push(d);
        if (progress.length === 3) cancel = true;
      },
      cancelled: () => cancel,
    };
    await expect(host.handle('selfTest', { steps: 50, stepMs: 2 }, ctx)).rejects.toMatchObject({
      code: 'CANCELLED',
      message: expect.stringContaining('after 3 of 50'),
    });
    expect(progress).toHaveLength(3);
    // Still usable after a cancel.
    expect(await host.handle('threadedSum', { n: 1000, threads: 4 }, ctx)).toMatchObject({ sum: 499500 });
  });

  it('refuses calls before init with a clear message', async () => {
    const host = new EngineHost(nodeLoader);
    await expect(host.handle('buildInfo', {}, { progress() {}, cancelled: () => false })).rejects.toThrow(/not initialised/);
  });
});
