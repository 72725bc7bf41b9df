// Application state shared by the panels, with a minimal change notification.
import type { EngineClient } from '../client/engine-client';
import type { EngineError } from '../engine/errors';
import type { InitResult } from '../engine/protocol';

type Listener = () => void;

export interface ErrorRecord {
  at: string;
  code: string;
  message: string;
}

class AppState {
  client: EngineClient | null = null;
  init: InitResult | null = null;
  variantReason = '';
  engineError: EngineError | null = null;
  threadsPreference: 'auto' | 'off' = 'auto';
  /** Every error shown to the user, newest last (tests read it through window.__mmm). */
  readonly errors: ErrorRecord[] = [];
  private readonly listeners = new Set<Listener>();
  private readyResolve!: () => void;
  readonly ready: Promise<void> = new Promise((r) => (this.readyResolve = r));

  setEngine(client: EngineClient, init: InitResult, reason: string): void {
    this.client = client;
    this.init = init;
    this.variantReason = reason;
    this.readyResolve();
    this.emit();
  }

  setEngineError(err: EngineError): void {
    this.engineError = err;
    this.recordError(err.code, err.message);
    this.emit();
  }

  recordError(code: string, message: string): void {
    this.errors.push({ at: new Date().toISOString(), code, message });
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(): void {
    for (const fn of this.listeners) fn();
  }
}

export const appState = new AppState();

// A read-only window for end-to-end tests and for support ("what engine am I running?").
declare global {
  interface Window {
    __mmm?: {
      state: AppState;
      ready: Promise<void>;
    };
  }
}
if (typeof window !== 'undefined') window.__mmm = { state: appState, ready: appState.ready };
