// Main-thread API to the engine worker: typed calls with a pending map, progress callbacks,
// cooperative cancel, and terminate() as the hard stop.
import type { InitResult, FromWorker, Method, ParamsOf, ResultOf, ToWorker, WireError } from '../engine/protocol';
import { EngineError } from '../engine/errors';
import type { VariantChoice } from './platform';

/** What the client needs from a Worker (a fake can stand in for it in unit tests). */
export interface WorkerPort {
  postMessage(message: ToWorker): void;
  terminate(): void;
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
}

export interface CallOptions {
  onProgress?: (data: Record<string, unknown>) => void;
  signal?: AbortSignal;
}

interface Pending {
  method: Method;
  resolve(value: unknown): void;
  reject(err: EngineError): void;
  onProgress?: (data: Record<string, unknown>) => void;
  cleanup(): void;
}

export class EngineClient {
  private port: WorkerPort;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private dead: WireError | null = null;
  /** Sees every progress event of every call (the embed's `progress` event listens here). */
  onAnyProgress: ((method: Method, data: Record<string, unknown>) => void) | null = null;

  constructor(port: WorkerPort) {
    this.port = port;
    port.onmessage = (e) => this.receive(e.data);
    port.onerror = (e) => {
      e.preventDefault?.();
      this.failAll({ code: 'WORKER_CRASHED', message: `the engine worker crashed: ${e.message || 'unknown error'}` });
    };
  }

  /** Starts the worker and loads the chosen wasm variant in it. */
  static async start(port: WorkerPort, choice: VariantChoice, wasmBase: string): Promise<{ client: EngineClient; init: InitResult }> {
    const client = new EngineClient(port);
    const init = await client.call('init', { variant: choice.variant, threads: choice.threads, wasmBase });
    return { client, init };
  }

  call<M extends Method>(method: M, params: ParamsOf<M>, options: CallOptions = {}): Promise<ResultOf<M>> {
    if (this.dead) return Promise.reject(new EngineError(this.dead.code, this.dead.message));
    const id = this.nextId++;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const onAbort = () => this.cancel(id);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        method,
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: options.onProgress,
        cleanup: () => options.signal?.removeEventListener('abort', onAbort),
      });
      if (options.signal?.aborted) onAbort();
      this.port.postMessage({ kind: 'request', id, method, params } as ToWorker);
    });
  }

  /** Cooperative cancel: the worker stops the request at its next safe point (between training
   * slices) and it rejects with code CANCELLED. */
  cancel(id?: number): void {
    const ids = id === undefined ? [...this.pending.keys()] : [id];
    for (const i of ids) if (this.pending.has(i)) this.port.postMessage({ kind: 'cancel', id: i });
  }

  /** Hard stop: kills the worker; every pending call rejects with TERMINATED. The client is
   * unusable afterwards (start a new one). */
  terminate(reason = 'the engine was stopped'): void {
    this.port.terminate();
    this.failAll({ code: 'TERMINATED', message: reason });
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private failAll(error: WireError): void {
    this.dead = error;
    for (const [, p] of this.pending) {
      p.cleanup();
      p.reject(new EngineError(error.code, error.message));
    }
    this.pending.clear();
  }

  private receive(msg: FromWorker): void {
    if (msg.kind === 'event') {
      if (msg.event === 'progress') {
        const p = this.pending.get(msg.id);
        p?.onProgress?.(msg.data);
        if (p) this.onAnyProgress?.(p.method, msg.data);
      }
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    p.cleanup();
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new EngineError(msg.error.code, msg.error.message));
  }
}

/** Creates the real module worker (browser only). The script URL is resolved by the bundler
 * relative to this module, so it works under any sub-path and from the embed's library build;
 * `scriptUrl` overrides it (it must be same-origin: browsers refuse cross-origin workers). */
export function createEngineWorker(scriptUrl?: string | URL): WorkerPort {
  if (scriptUrl !== undefined) return new Worker(scriptUrl, { type: 'module', name: 'mmm-engine' }) as unknown as WorkerPort;
  return new Worker(new URL('../engine/core.worker.ts', import.meta.url), { type: 'module', name: 'mmm-engine' }) as unknown as WorkerPort;
}
