// Keeps one engine session in step with the loaded dataset: a new panel replaces the session,
// and a restarted engine (after a hard stop) gets the panel again.
import type { PanelSpec } from '../engine/core-types';
import { EngineError } from '../engine/errors';
import { appState } from './state';

let sessionPanel: PanelSpec | null = null;

/** Returns the id of a session holding the current dataset's panel, creating it when needed. */
export async function ensureSession(): Promise<number> {
  const client = appState.client;
  if (!client) throw new EngineError('INTERNAL', 'the engine is not running yet; wait for the status bar to say "Engine ready"');
  const panel = appState.dataset?.panel;
  if (!panel) throw new EngineError('INVALID_DATA', 'no data is loaded, or it has blocking errors: see the Data tab');
  if (appState.sessionId !== null && sessionPanel === panel) return appState.sessionId;
  await disposeSession();
  const created = await client.call('createSession', { panel });
  appState.sessionId = created.id;
  sessionPanel = panel;
  return created.id;
}

export async function disposeSession(): Promise<void> {
  const id = appState.sessionId;
  appState.sessionId = null;
  sessionPanel = null;
  if (id !== null && appState.client) await appState.client.call('disposeSession', { id }).catch(() => undefined);
}

/** Forget the session without asking the engine (after the worker was terminated). */
export function forgetSession(): void {
  appState.sessionId = null;
  sessionPanel = null;
}

/** Uses a session the engine already holds (an opened model bundle) for the current dataset. */
export async function adoptSession(id: number, panel: PanelSpec | null): Promise<void> {
  await disposeSession();
  appState.sessionId = id;
  sessionPanel = panel;
}
