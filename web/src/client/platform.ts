// Chooses the engine variant. core-mt needs SharedArrayBuffer, which browsers only grant to
// cross-origin isolated pages (COOP same-origin + COEP require-corp); otherwise core-st runs.
import type { Variant } from '../engine/core-types';

export interface PlatformFacts {
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean;
  hardwareConcurrency: number;
  /** 'auto' uses threads when possible; 'off' forces the single-thread engine. */
  threads?: 'auto' | 'off';
}

export interface VariantChoice {
  variant: Variant;
  /** Threads the engine should use (1 for core-st). */
  threads: number;
  /** Why this variant: shown in the status bar. */
  reason: string;
}

/** The Emscripten pthread pool size core-mt is linked with (MMM_PTHREAD_POOL_SIZE). */
export const CORE_MT_POOL_SIZE = 4;

export function chooseVariant(facts: PlatformFacts): VariantChoice {
  if (facts.threads === 'off') {
    return { variant: 'core-st', threads: 1, reason: 'threads turned off in settings' };
  }
  if (!facts.crossOriginIsolated) {
    return {
      variant: 'core-st',
      threads: 1,
      reason: 'threads off: the page is not cross-origin isolated (the server does not send COOP/COEP headers)',
    };
  }
  if (!facts.sharedArrayBuffer) {
    return { variant: 'core-st', threads: 1, reason: 'threads off: this browser has no SharedArrayBuffer' };
  }
  const cores = Math.max(1, Math.floor(facts.hardwareConcurrency || 1));
  const threads = Math.max(1, Math.min(cores, CORE_MT_POOL_SIZE));
  if (threads < 2) {
    return { variant: 'core-st', threads: 1, reason: 'threads off: the device reports a single CPU core' };
  }
  return { variant: 'core-mt', threads, reason: `cross-origin isolated: ${threads} threads` };
}

/** Reads the facts from the current global scope (window or worker). */
export function currentPlatform(threads: 'auto' | 'off' = 'auto'): PlatformFacts {
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  return {
    crossOriginIsolated: g.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined',
    hardwareConcurrency: g.navigator?.hardwareConcurrency ?? 1,
    threads,
  };
}
