// Loads the real wasm artefacts from public/wasm through the same Engine facade the app's worker uses.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Variant } from '../../web/src/engine/core-types';
import type { Engine } from '../../web/src/engine/engine';
import { loadEngineInNode } from '../../web/src/engine/node-core';

export const wasmDir = fileURLToPath(new URL('../../public/wasm/', import.meta.url));
export const VARIANTS: Variant[] = ['core-st', 'core-mt'];

const cache = new Map<Variant, Promise<Engine>>();

export function engineFor(variant: Variant): Promise<Engine> {
  if (!existsSync(`${wasmDir}${variant}.wasm`)) {
    throw new Error(`${variant}.wasm is not built: run 'npm run build' (or cmake --build --preset ${variant.replace('core', 'wasm')})`);
  }
  let p = cache.get(variant);
  if (!p) {
    p = loadEngineInNode(variant, wasmDir);
    cache.set(variant, p);
  }
  return p;
}

/** The records of a CSV file the product wrote, one string each, after checking the one writer's
 * framing: UTF-8 BOM, CRLF between records and after the last (a quoted cell may hold a bare LF). */
export function readCsvLines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  if (!text.startsWith('\uFEFF')) throw new Error(`${path} does not start with a UTF-8 BOM`);
  const unquoted = text.replace(/"(?:[^"]|"")*"/g, '""');
  if (!text.endsWith('\r\n') || /(^|[^\r])\n/.test(unquoted)) throw new Error(`${path} does not use CRLF line ends throughout`);
  return text.slice(1, -2).split('\r\n');
}

/** A small valid panel: regions × weeks × channels with one control. */
export function tinyPanel(regions = 3, weeks = 20, channels = 2) {
  const cells = regions * weeks;
  const media = new Float32Array(cells * channels).map((_, i) => (i % 7) + 1);
  const controlValues = new Float32Array(cells).map((_, i) => Math.sin(i));
  const kpi = new Float32Array(cells).map((_, i) => 100 + (i % 13));
  return {
    regions, weeks, channels, controls: 1, media, controlValues, kpi,
    regionNames: Array.from({ length: regions }, (_, r) => `R${r}`),
    channelNames: Array.from({ length: channels }, (_, c) => `ch${c}`),
    controlNames: ['price'],
  };
}
