// Starting (and, after a hard stop, restarting) the engine worker with the variant the platform
// allows, and showing which one runs and why in the status bar.
import { EngineClient } from '../client/engine-client';
import { chooseVariant, currentPlatform } from '../client/platform';
import { EngineError } from '../engine/errors';
import type { InitResult } from '../engine/protocol';
import { appHost } from './host';
import { appState } from './state';

export async function startEngine(): Promise<void> {
  const host = appHost();
  const statusEl = host.byId('engine-status');
  const detailEl = host.byId('engine-detail');
  const show = (state: string, status: string, detail: string) => {
    if (statusEl) {
      statusEl.dataset.state = state;
      statusEl.textContent = status;
    }
    if (detailEl) detailEl.textContent = detail;
  };
  show('loading', 'Starting the engine…', '');
  const choice = chooseVariant(currentPlatform(appState.threadsPreference));
  // An absolute URL from the host (the page's folder, or <mmm-studio base-url>): the worker
  // lives under assets/, so a relative 'wasm/' would resolve there.
  const wasmBase = host.assetUrl('wasm/');
  try {
    const { client, init } = await EngineClient.start(host.createEngineWorker(), choice, wasmBase);
    client.onAnyProgress = (method, data) => appState.emitProgress(method, data);
    appState.setEngine(client, init, choice.reason);
    show('ready', engineLabel(init), `${choice.reason} · Eigen ${init.buildInfo.eigen} · ${init.buildInfo.compiler} · SIMD ${init.buildInfo.simd ? 'on' : 'off'}`);
  } catch (err) {
    const e = err instanceof EngineError ? err : new EngineError('INTERNAL', String(err));
    appState.setEngineError(e);
    show('error', 'The engine failed to start', `${e.message}. Reload the page; if it persists, your browser may not support WebAssembly SIMD.`);
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
