// ONNX Runtime Web, loaded lazily (its 14 MB wasm is fetched only when an ONNX model is run).
// Browser: in its own module worker (ort.worker.ts), so the page never freezes while the runtime
// compiles and starts (measured on the UI thread: one 4.3 s block on first use); the worker uses
// the wasm-only build ('onnxruntime-web/wasm', resolved by Vite with the
// 'onnxruntime-web-use-extern-wasm' condition to ort.wasm.min.mjs), its
// ort-wasm-simd-threaded.{mjs,wasm} served from public/ort/ (wasmPaths = assetUrl('ort/'), i.e.
// new URL('ort/', document.baseURI) on the standalone page, the element's base-url when embedded),
// and an explicit thread count: 2 when cross-origin isolated, else 1
// (toolchain notes §5.4, gotcha O1). Node (tests, CLI): 'onnxruntime-web' resolves to its node
// build, single-threaded, in-process.
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import { assetUrl } from '../client/asset-base';
import type { OrtWorkerRequest, OrtWorkerResponse } from './ort.worker';

type Ort = typeof import('onnxruntime-web');

export interface OrtInput {
  data: Float32Array | BigInt64Array;
  dims: number[];
}

export interface OrtOutput {
  data: Float32Array;
  dims: number[];
}

const isNode = (): boolean => typeof window === 'undefined' && typeof process !== 'undefined' && !!process.versions?.node;

// ---- Node: in-process ---------------------------------------------------------------------------

let nodeOrt: Promise<Ort> | null = null;

function loadNodeOrt(): Promise<Ort> {
  nodeOrt ??= (async () => {
    // A non-literal specifier keeps bundlers from pulling the node build into the browser app.
    const entry = 'onnxruntime-web';
    const ort = (await import(/* @vite-ignore */ entry)) as Ort;
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = 'error';
    return ort;
  })();
  nodeOrt.catch(() => {
    nodeOrt = null;
  });
  return nodeOrt;
}

// ---- browser: one shared worker ------------------------------------------------------------------

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

/** A request without its id (Omit distributed over the union). */
type Request = OrtWorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

function call<T>(msg: Request, transfer: Transferable[] = []): Promise<T> {
  if (!worker) {
    worker = new Worker(new URL('./ort.worker.ts', import.meta.url), { type: 'module', name: 'onnxruntime' });
    worker.onmessage = (e: MessageEvent<OrtWorkerResponse>) => {
      const p = pending.get(e.data.id);
      if (!p) return;
      pending.delete(e.data.id);
      if (e.data.ok) p.resolve(e.data.result);
      else p.reject(new Error(e.data.message));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      const err = new Error(`the ONNX Runtime worker failed: ${e.message || 'unknown error'}`);
      for (const p of pending.values()) p.reject(err);
      pending.clear();
      worker?.terminate();
      worker = null;
    };
  }
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    worker!.postMessage({ ...msg, id } as OrtWorkerRequest, transfer);
  });
}

// ---- the session API -------------------------------------------------------------------------------

/** A loaded ONNX model; run it as often as needed, then release it. */
export class OnnxSession {
  private constructor(
    readonly inputNames: readonly string[],
    readonly outputNames: readonly string[],
    private readonly impl: { run(feeds: Record<string, OrtInput>): Promise<Record<string, OrtOutput>>; release(): Promise<void> },
  ) {}

  static async create(bytes: Uint8Array): Promise<OnnxSession> {
    if (isNode()) {
      const ort = await loadNodeOrt();
      const session: InferenceSession = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
      return new OnnxSession(session.inputNames, session.outputNames, {
        async run(inputs) {
          const feeds: Record<string, Tensor> = {};
          for (const [name, x] of Object.entries(inputs)) feeds[name] = new ort.Tensor(x.data instanceof BigInt64Array ? 'int64' : 'float32', x.data, x.dims);
          const out = await session.run(feeds);
          const result: Record<string, OrtOutput> = {};
          for (const [name, t] of Object.entries(out)) result[name] = { data: t.data as Float32Array, dims: [...t.dims] };
          return result;
        },
        release: () => session.release(),
      });
    }
    const wasmPaths = assetUrl('ort/'); // new URL('ort/', document.baseURI) on the standalone page
    const created = await call<{ session: number; inputNames: string[]; outputNames: string[] }>({ op: 'create', bytes: bytes.slice(), wasmPaths });
    return new OnnxSession(created.inputNames, created.outputNames, {
      run: (feeds) => call<Record<string, OrtOutput>>({ op: 'run', session: created.session, feeds }),
      release: () => call<null>({ op: 'release', session: created.session }).then(() => undefined),
    });
  }

  run(inputs: Record<string, OrtInput | undefined>): Promise<Record<string, OrtOutput>> {
    const feeds: Record<string, OrtInput> = {};
    for (const [name, x] of Object.entries(inputs)) if (x) feeds[name] = x;
    return this.impl.run(feeds);
  }

  release(): Promise<void> {
    return this.impl.release();
  }
}

/** One-shot: loads the model, runs it on `inputs` and releases it. */
export async function runOnnx(bytes: Uint8Array, inputs: Record<string, OrtInput | undefined>): Promise<Record<string, OrtOutput>> {
  const s = await OnnxSession.create(bytes);
  try {
    return await s.run(inputs);
  } finally {
    await s.release();
  }
}
