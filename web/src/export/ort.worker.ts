/// <reference lib="webworker" />
// ONNX Runtime Web in its own module worker (started by ort.ts in the browser), so creating a
// session — compiling the 14 MB runtime, starting its threads — never blocks the page: measured on
// the UI thread, the first session cost one 4.3 s freeze. Sessions live here by id.
import type { InferenceSession, Tensor } from 'onnxruntime-web';

type Ort = typeof import('onnxruntime-web');

export type OrtWorkerRequest =
  | { id: number; op: 'create'; bytes: Uint8Array; wasmPaths: string }
  | { id: number; op: 'run'; session: number; feeds: Record<string, { data: Float32Array | BigInt64Array; dims: number[] }> }
  | { id: number; op: 'release'; session: number };

export type OrtWorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; message: string };

let ortPromise: Promise<Ort> | null = null;
const sessions = new Map<number, InferenceSession>();
let nextSession = 1;

function loadOrt(wasmPaths: string): Promise<Ort> {
  ortPromise ??= import('onnxruntime-web/wasm').then((mod) => {
    const ort = mod as unknown as Ort;
    ort.env.wasm.wasmPaths = wasmPaths;
    ort.env.wasm.numThreads = self.crossOriginIsolated ? 2 : 1;
    ort.env.logLevel = 'error';
    return ort;
  });
  return ortPromise;
}

async function handle(m: OrtWorkerRequest): Promise<{ result: unknown; transfer: Transferable[] }> {
  if (m.op === 'create') {
    const ort = await loadOrt(m.wasmPaths);
    const session = await ort.InferenceSession.create(m.bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    const id = nextSession++;
    sessions.set(id, session);
    return { result: { session: id, inputNames: session.inputNames, outputNames: session.outputNames }, transfer: [] };
  }
  const session = sessions.get(m.session);
  if (!session) throw new Error(`ONNX session ${m.session} does not exist (released?)`);
  if (m.op === 'release') {
    sessions.delete(m.session);
    await session.release();
    return { result: null, transfer: [] };
  }
  const ort = await ortPromise!;
  const feeds: Record<string, Tensor> = {};
  for (const [name, x] of Object.entries(m.feeds)) feeds[name] = new ort.Tensor(x.data instanceof BigInt64Array ? 'int64' : 'float32', x.data, x.dims);
  const out = await session.run(feeds);
  const result: Record<string, { data: Float32Array; dims: number[] }> = {};
  const transfer: Transferable[] = [];
  for (const [name, t] of Object.entries(out)) {
    const data = (t.data as Float32Array).slice();
    result[name] = { data, dims: [...t.dims] };
    transfer.push(data.buffer);
  }
  return { result, transfer };
}

self.onmessage = async (e: MessageEvent<OrtWorkerRequest>) => {
  const m = e.data;
  try {
    const { result, transfer } = await handle(m);
    self.postMessage({ id: m.id, ok: true, result } satisfies OrtWorkerResponse, transfer);
  } catch (err) {
    self.postMessage({ id: m.id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies OrtWorkerResponse);
  }
};
