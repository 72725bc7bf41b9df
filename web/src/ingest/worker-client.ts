// UI-thread helper: parse a File in parse.worker.ts, with progress and cancel.
// (Uses the Worker API only; no DOM.)

import type { ParseOptions } from './parse';
import { IngestError, type ParsedTable } from './types';
import type { ParseWorkerRequest, ParseWorkerResponse } from './worker-protocol';

export interface ParseHandle {
  promise: Promise<ParsedTable>;
  cancel(): void;
}

let nextId = 1;

/** Start parsing `file` in a new module worker; the worker is terminated when done. */
export function parseFileInWorker(
  file: Blob,
  onProgress?: (loaded: number, total: number) => void,
  options?: ParseOptions,
  makeWorker: () => Worker = () => new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module' }),
): ParseHandle {
  const worker = makeWorker();
  const id = nextId++;
  let settle: { reject(e: Error): void } | null = null;
  const promise = new Promise<ParsedTable>((resolve, reject) => {
    settle = { reject };
    worker.onmessage = (ev: MessageEvent<ParseWorkerResponse>) => {
      const m = ev.data;
      if (m.id !== id) return;
      if (m.type === 'progress') onProgress?.(m.loaded, m.total);
      else if (m.type === 'result') {
        worker.terminate();
        resolve(m.table);
      } else {
        worker.terminate();
        reject(new IngestError(m.code, m.message));
      }
    };
    worker.onerror = (ev) => {
      worker.terminate();
      reject(new IngestError('WORKER_FAILED', ev.message || 'The parsing worker failed.'));
    };
    const req: ParseWorkerRequest = { type: 'parse', id, file, options };
    worker.postMessage(req);
  });
  return {
    promise,
    cancel() {
      const req: ParseWorkerRequest = { type: 'cancel', id };
      worker.postMessage(req);
      // Hard stop shortly after, in case the worker is inside a long slice.
      setTimeout(() => {
        worker.terminate();
        settle?.reject(new IngestError('CANCELLED', 'Parsing was cancelled.'));
      }, 200);
    },
  };
}
