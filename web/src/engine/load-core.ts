// Loads one wasm variant of the core. In the browser the glue fetches its .wasm next to itself;
// Node callers pass the bytes (see node-core.ts).
import type { CoreModule, Variant } from './core-types';

type Factory = (opts: Record<string, unknown>) => Promise<CoreModule>;

/** @param wasmBase absolute URL of the folder holding core-st.mjs / core-mt.mjs (ends with '/'). */
export async function loadCoreModule(variant: Variant, wasmBase: string, options: { wasmBinary?: Uint8Array } = {}): Promise<CoreModule> {
  const glueUrl = new URL(`${variant}.mjs`, wasmBase).href;
  const mod = (await import(/* @vite-ignore */ glueUrl)) as { default: Factory };
  return mod.default(options.wasmBinary ? { wasmBinary: options.wasmBinary } : {});
}
