/// <reference lib="webworker" />
// Module worker: parses a File in slices with PapaParse, posts progress and the column-major
// table (typed arrays transferred, not copied). Protocol types live in ./worker-protocol.

import { parseBlobStreaming, tableTransferables } from './stream';
import type { ParseWorkerRequest, ParseWorkerResponse } from './worker-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const running = new Map<number, { aborted: boolean }>();

function post(msg: ParseWorkerResponse, transfer: Transferable[] = []): void {
  scope.postMessage(msg, transfer);
}

scope.onmessage = async (ev: MessageEvent<ParseWorkerRequest>) => {
  const msg = ev.data;
  if (msg.type === 'cancel') {
    const flag = running.get(msg.id);
    if (flag) flag.aborted = true;
    return;
  }
  if (msg.type !== 'parse') return;
  const signal = { aborted: false };
  running.set(msg.id, signal);
  const started = performance.now();
  try {
    const table = await parseBlobStreaming(msg.file, {
      ...(msg.options ?? {}),
      signal,
      onProgress: (p) => post({ type: 'progress', id: msg.id, loaded: p.loaded, total: p.total }),
    });
    post({ type: 'result', id: msg.id, table, ms: performance.now() - started }, tableTransferables(table));
  } catch (e) {
    const err = e as { code?: string; message?: string };
    post({ type: 'error', id: msg.id, code: err.code ?? 'PARSE_FAILED', message: err.message ?? String(e) });
  } finally {
    running.delete(msg.id);
  }
};
