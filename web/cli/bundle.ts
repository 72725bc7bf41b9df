// Opening a .mmm model bundle in the CLI (predict, export, optimize) on the same engine code as
// the app: the bundle is checked (format, size, checksum) and loaded into a fresh session.
import { readFileSync } from 'node:fs';
import type { CoreFitResults } from '../src/engine/core-types';
import type { Engine } from '../src/engine/engine';
import type { BundleMeta } from '../src/export/bundle';
import { importModelBundle } from '../src/export/model-bundle';
import { loadCliEngine } from './engine';
import { CliUsageError } from './io';

export interface CliBundle {
  engine: Engine;
  sessionId: number;
  core: CoreFitResults;
  meta: BundleMeta;
}

export async function loadBundleForCli(path: string, threads = 1): Promise<CliBundle> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new CliUsageError(`cannot read '${path}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`);
  }
  const engine = await loadCliEngine(threads);
  const opened = await importModelBundle(engine, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { engine, sessionId: opened.sessionId, core: opened.core, meta: opened.meta };
}
