// The module Web Worker that owns the wasm engine. The UI thread never runs model code.
/// <reference lib="webworker" />
import { EngineError } from './errors';
import { EngineHost } from './handlers';
import type { FromWorker, ToWorker, WireError } from './protocol';

const host = new EngineHost();
const cancelled = new Set<number>();
const PROGRESS_INTERVAL_MS = 100; // <= 10 Hz

const post = (message: FromWorker): void => (self as unknown as Worker).postMessage(message);

function toWire(err: unknown): WireError {
  if (err instanceof EngineError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `internal error in the engine worker: ${message}` };
}

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  if (msg.kind === 'cancel') {
    cancelled.add(msg.id);
    return;
  }
  const { id, method, params } = msg;
  let lastProgress = 0;
  let pending: Record<string, unknown> | null = null;
  const ctx = {
    progress(data: Record<string, unknown>) {
      const now = performance.now();
      if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
        lastProgress = now;
        pending = null;
        post({ kind: 'event', event: 'progress', id, data });
      } else {
        pending = data; // the latest one is flushed before the response
      }
    },
    cancelled: () => cancelled.has(id),
  };
  try {
    const result = await host.handle(method, params as never, ctx);
    if (pending) post({ kind: 'event', event: 'progress', id, data: pending });
    post({ kind: 'response', id, ok: true, result });
  } catch (err) {
    post({ kind: 'response', id, ok: false, error: toWire(err) });
  } finally {
    cancelled.delete(id);
  }
};
