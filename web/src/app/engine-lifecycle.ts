// Starting (and, after a hard stop, restarting) the engine worker with the variant the platform
// allows, and showing which one runs and why in the status bar.
import { EngineClient, createEngineWorker } from '../client/engine-client';
import { chooseVariant, currentPlatform } from '../client/platform';
import { EngineError } from '../engine/errors';
import type { InitResult } from '../engine/protocol';
import { appState } from './state';

export async function startEngine(): Promise<void> {
  const statusEl = document.getElementById('engine-status')!;
  const detailEl = document.getElementById('engine-detail')!;
  statusEl.dataset.state = 'loading';
  statusEl.textContent = 'Starting the engine…';
  const choice = chooseVariant(currentPlatform(appState.threadsPreference));
  // Resolve against the document, not import.meta.url: with base './' the worker would otherwise
  // look for wasm/ under assets/.
  const wasmBase = new URL('wasm/', document.baseURI).href;
  try {
    const { client, init } = await EngineClient.start(createEngineWorker(), choice, wasmBase);
    appState.setEngine(client, init, choice.reason);
    statusEl.dataset.state = 'ready';
    statusEl.textContent = engineLabel(init);
    detailEl.textContent = `${choice.reason} · Eigen ${init.buildInfo.eigen} · ${init.buildInfo.compiler} · SIMD ${init.buildInfo.simd ? 'on' : 'off'}`;
  } catch (err) {
    const e = err instanceof EngineError ? err : new EngineError('INTERNAL', String(err));
    appState.setEngineError(e);
    statusEl.dataset.state = 'error';
    statusEl.textContent = 'The engine failed to start';
    detailEl.textContent = `${e.message}. Reload the page; if it persists, your browser may not support WebAssembly SIMD.`;
  }
}

/** After terminate(): a fresh worker; the page's data is kept and sent again when needed. */
export function restartEngine(): Promise<void> {
  appState.client = null;
  appState.emit();
  return startEngine();
}

function engineLabel(init: InitResult): string {
  return init.variant === 'core-mt'
    ? `Engine ready: core-mt (WebAssembly SIMD, ${init.threads} threads)`
    : 'Engine ready: core-st (WebAssembly SIMD, single thread)';
}
