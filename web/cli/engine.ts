// The CLI's engine: the same wasm artefacts and Engine facade as the app, loaded in Node.
import { fileURLToPath } from 'node:url';
import type { Variant } from '../src/engine/core-types';
import type { Engine } from '../src/engine/engine';
import { loadEngineInNode } from '../src/engine/node-core';

/** public/wasm relative to the bundle (build/cli/) or the sources (web/cli/). */
export const wasmDir = fileURLToPath(new URL('../../public/wasm/', import.meta.url));

export function loadCliEngine(threads: number): Promise<Engine> {
  const variant: Variant = threads > 1 ? 'core-mt' : 'core-st';
  return loadEngineInNode(variant, wasmDir);
}
