// Opening a .mmm model bundle in the CLI (predict, export, optimize) on the same engine code as
// the app: the bundle is checked (format, size, checksum) and loaded into a fresh session.
import type { CoreFitResults } from '../src/engine/core-types';
import type { Engine } from '../src/engine/engine';
import type { BundleMeta } from '../src/export/bundle';
import { importModelBundle } from '../src/export/model-bundle';
import { loadCliEngine } from './engine';
import { readInput, type CliIo } from './io';

export interface CliBundle {
  engine: Engine;
  sessionId: number;
  core: CoreFitResults;
  meta: BundleMeta;
}

export async function loadBundleForCli(path: string, io: CliIo, threads = 1): Promise<CliBundle> {
  const bytes = await readInput(path, io);
  const engine = await loadCliEngine(threads);
  const opened = await importModelBundle(engine, bytes);
  return { engine, sessionId: opened.sessionId, core: opened.core, meta: opened.meta };
}
