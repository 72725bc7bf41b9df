// The module Web Worker that owns the wasm engine. The UI thread never runs model code.
/// <reference lib="webworker" />
import { BundleError } from '../export/bundle';
import { EngineError } from './errors';
import { EngineHost } from './handlers';
import type { FromWorker, ToWorker, WireError } from './protocol';

const host = new EngineHost();
const cancelled = new Set<number>();

const post = (message: FromWorker): void => (self as unknown as Worker).postMessage(message);

function toWire(err: unknown): WireError {
  if (err instanceof EngineError) return { code: err.code, message: err.message };
  if (err instanceof BundleError) return { code: 'INVALID_DATA', message: err.message };
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
  // Handlers report progress once per work slice (~10 Hz); every event is forwarded because a
  // training event carries the epochs finished since the previous one.
  const ctx = {
    progress: (data: Record<string, unknown>) => post({ kind: 'event', event: 'progress', id, data }),
    cancelled: () => cancelled.has(id),
  };
  try {
    const result = await host.handle(method, params as never, ctx);
    post({ kind: 'response', id, ok: true, result });
  } catch (err) {
    post({ kind: 'response', id, ok: false, error: toWire(err) });
  } finally {
    cancelled.delete(id);
  }
};
