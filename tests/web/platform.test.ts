import { describe, expect, it } from 'vitest';
import { CORE_MT_POOL_SIZE, chooseVariant } from '../../web/src/client/platform';

const base = { crossOriginIsolated: true, sharedArrayBuffer: true, hardwareConcurrency: 8 };

describe('chooseVariant', () => {
  it('uses core-mt when isolated, capped at the wasm pool size', () => {
    const c = chooseVariant(base);
    expect(c.variant).toBe('core-mt');
    expect(c.threads).toBe(CORE_MT_POOL_SIZE);
    expect(c.reason).toMatch(/cross-origin isolated/);
  });

  it('uses as many threads as cores when fewer than the pool', () => {
    expect(chooseVariant({ ...base, hardwareConcurrency: 2 }).threads).toBe(2);
  });

  it('falls back to core-st without cross-origin isolation and says why', () => {
    const c = chooseVariant({ ...base, crossOriginIsolated: false });
    expect(c).toMatchObject({ variant: 'core-st', threads: 1 });
    expect(c.reason).toMatch(/not cross-origin isolated.*COOP\/COEP/);
  });

  it('falls back without SharedArrayBuffer', () => {
    expect(chooseVariant({ ...base, sharedArrayBuffer: false })).toMatchObject({ variant: 'core-st', reason: expect.stringMatching(/SharedArrayBuffer/) });
  });

  it('falls back on a single-core device', () => {
    expect(chooseVariant({ ...base, hardwareConcurrency: 1 }).variant).toBe('core-st');
  });

  it('honours threads=off', () => {
    expect(chooseVariant({ ...base, threads: 'off' })).toMatchObject({ variant: 'core-st', reason: 'threads turned off in settings' });
  });
});
