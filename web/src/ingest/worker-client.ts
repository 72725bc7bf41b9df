// UI-thread side of ingest.worker.ts: one IngestWorker per loaded file. It parses (with progress and
// cancel), infers, validates and builds the panel in the worker; mapping edits are sent to the same
// worker, which still holds the table. Uses the Worker API only; no DOM.

import type { ParseOptions } from './parse';
import type { LoadOutcome, MappingOutcome } from './session';
import { IngestError, type Mapping } from './types';
import type { IngestWorkerRequest, IngestWorkerResponse } from './worker-protocol';

export interface LoadHandle {
  promise: Promise<LoadOutcome & { parseMs: number }>;
  /** Stops parsing; the promise rejects with IngestError CANCELLED. */
  cancel(): void;
}

type Pending = { resolve(v: unknown): void; reject(e: Error): void; onProgress?: (loaded: number, total: number) => void };

const defaultWorker = () => new Worker(new URL('./ingest.worker.ts', import.meta.url), { type: 'module' });

export class IngestWorker {
  #worker: Worker;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #latestApply = 0;
  #dead: IngestError | null = null;

  constructor(makeWorker: () => Worker = defaultWorker) {
    this.#worker = makeWorker();
    this.#worker.onmessage = (ev: MessageEvent<IngestWorkerResponse>) => {
      const m = ev.data;
      const p = this.#pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') return p.onProgress?.(m.loaded, m.total);
      this.#pending.delete(m.id);
      if (m.type === 'error') p.reject(new IngestError(m.code, m.message));
      else if (m.type === 'loaded') p.resolve({ ...m.outcome, parseMs: m.parseMs });
      else p.resolve(m.outcome);
    };
    this.#worker.onerror = (ev) => {
      ev.preventDefault?.();
      this.#fail(new IngestError('WORKER_FAILED', `The data worker failed: ${ev.message || 'unknown error'}. Reload the page and try again.`));
    };
  }

  #fail(err: IngestError): void {
    this.#dead = err;
    this.#worker.terminate();
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }

  #send<T>(req: IngestWorkerRequest, onProgress?: Pending['onProgress']): Promise<T> {
    if (this.#dead) return Promise.reject(this.#dead);
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(req.id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      this.#worker.postMessage(req);
    });
  }

  /** Parse `file` (a File, or pasted text as a Blob) and infer, validate and build its panel. */
  load(file: Blob, onProgress?: (loaded: number, total: number) => void, options?: ParseOptions): LoadHandle {
    const id = this.#nextId++;
    const promise = this.#send<LoadOutcome & { parseMs: number }>({ type: 'load', id, file, options }, onProgress);
    return {
      promise,
      cancel: () => {
        if (!this.#pending.has(id)) return;
        // The worker checks the flag between slices; a hard stop follows since a cancelled worker is not reused.
        this.#worker.postMessage({ type: 'cancel', id } satisfies IngestWorkerRequest);
        this.#fail(new IngestError('CANCELLED', 'Reading the file was cancelled; the data loaded before is kept.'));
      },
    };
  }

  /**
   * Validate `mapping` and build its panel in the worker. Resolves with null when a newer apply()
   * was started meanwhile (its result is the one to show).
   */
  async apply(mapping: Mapping): Promise<MappingOutcome | null> {
    const id = this.#nextId++;
    this.#latestApply = id;
    const outcome = await this.#send<MappingOutcome>({ type: 'apply', id, mapping });
    return id === this.#latestApply ? outcome : null;
  }

  dispose(): void {
    this.#fail(new IngestError('DISPOSED', 'The data worker was closed.'));
  }
}
