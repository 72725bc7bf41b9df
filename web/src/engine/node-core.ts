// Node-only loading of the wasm core (CLI and tests). Emscripten 3.1.6 cannot fetch file:// URLs,
// so the bytes are read here and passed as wasmBinary; its ESM glue also expects the CommonJS
// globals require/__dirname (toolchain notes G3, G5).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Variant } from './core-types';
import { Engine } from './engine';
import { loadCoreModule } from './load-core';

/** @param wasmDir folder holding the artefacts (path or file URL). */
export async function loadEngineInNode(variant: Variant, wasmDir: string | URL): Promise<Engine> {
  const base = typeof wasmDir === 'string' ? pathToFileURL(wasmDir.endsWith('/') ? wasmDir : `${wasmDir}/`) : wasmDir;
  const g = globalThis as Record<string, unknown>;
  g.require ??= createRequire(new URL(`${variant}.mjs`, base));
  g.__dirname ??= fileURLToPath(base);
  const wasmBinary = readFileSync(new URL(`${variant}.wasm`, base));
  const core = await loadCoreModule(variant, base.href, { wasmBinary });
  letProcessExitWithThreadPool(core);
  return new Engine(core, variant);
}

interface NodeWorkerHandle {
  unref(): void;
}
interface PThreadRegistry {
  unusedWorkers: NodeWorkerHandle[];
  runningWorkers: NodeWorkerHandle[];
  getNewWorker(): NodeWorkerHandle | undefined;
}

/**
 * core-mt keeps its pthreads in Node worker_threads: the pool Emscripten 3.1.6 starts with the
 * module, and the core's own thread pool parks some of them for good. Each worker listens on its
 * parent port, which keeps Node's event loop alive forever, so a CLI command on core-mt printed
 * its result and never exited (`fit --threads 2`; even loading core-mt alone hung). Newer
 * Emscripten unrefs these workers itself. Unreferenced, they still run and answer; they just no
 * longer keep the process alive. Every wait on a thread happens inside a synchronous wasm call
 * (a join or a condition variable, on Atomics.wait), so the process cannot reach the end of its
 * event loop while a thread still has work it needs.
 */
function letProcessExitWithThreadPool(core: unknown): void {
  const pthreads = (core as { PThread?: PThreadRegistry }).PThread;
  if (!pthreads) return; // core-st
  for (const worker of [...pthreads.unusedWorkers, ...pthreads.runningWorkers]) worker.unref();
  // Workers made later (only if the pool ran dry, which PTHREAD_POOL_SIZE_STRICT=2 forbids) too.
  const getNewWorker = pthreads.getNewWorker.bind(pthreads);
  pthreads.getNewWorker = () => {
    const worker = getNewWorker();
    worker?.unref();
    return worker;
  };
}
