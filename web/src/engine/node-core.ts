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
  return new Engine(core, variant);
}
