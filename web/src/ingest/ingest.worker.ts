/// <reference lib="webworker" />
// Module worker holding one loaded table: parses a File in slices with PapaParse (posting progress),
// then infers the schema, validates and builds the panel (see session.ts); mapping edits come back
// as 'apply' messages. Panels are transferred, not copied. Protocol: ./worker-protocol.

import { applyMappingTo, loadTable, panelTransferables } from './session';
import { parseBlobStreaming } from './stream';
import type { ParsedTable } from './types';
import type { IngestWorkerRequest, IngestWorkerResponse } from './worker-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const running = new Map<number, { aborted: boolean }>();
let table: ParsedTable | null = null;

function post(msg: IngestWorkerResponse, transfer: Transferable[] = []): void {
  scope.postMessage(msg, transfer);
}

function fail(id: number, e: unknown): void {
  const err = e as { code?: string; message?: string };
  post({ type: 'error', id, code: err.code ?? 'INGEST_FAILED', message: err.message ?? String(e) });
}

scope.onmessage = async (ev: MessageEvent<IngestWorkerRequest>) => {
  const msg = ev.data;
  if (msg.type === 'cancel') {
    const flag = running.get(msg.id);
    if (flag) flag.aborted = true;
    return;
  }
  if (msg.type === 'apply') {
    if (!table) return fail(msg.id, { code: 'NO_TABLE', message: 'No file is loaded in this worker.' });
    try {
      const outcome = applyMappingTo(table, msg.mapping);
      post({ type: 'applied', id: msg.id, outcome }, panelTransferables(outcome.panel));
    } catch (e) {
      fail(msg.id, e);
    }
    return;
  }
  const signal = { aborted: false };
  running.set(msg.id, signal);
  const started = performance.now();
  try {
    const parsed = await parseBlobStreaming(msg.file, {
      ...(msg.options ?? {}),
      signal,
      onProgress: (p) => post({ type: 'progress', id: msg.id, loaded: p.loaded, total: p.total }),
    });
    const parseMs = performance.now() - started;
    table = parsed;
    const outcome = loadTable(parsed);
    post({ type: 'loaded', id: msg.id, outcome, parseMs }, panelTransferables(outcome.panel));
  } catch (e) {
    fail(msg.id, e);
  } finally {
    running.delete(msg.id);
  }
};
