// Saving and opening model bundles with an Engine: shared by the app's worker and the CLI.
import type { CoreFitResults } from '../engine/core-types';
import type { Engine } from '../engine/engine';
import { storableIntervals } from '../engine/ensemble';
import type { ModelResults } from '../engine/results';
import type { Mapping } from '../ingest/types';
import { readBundle, sha256Hex, writeBundle, type BundleMeta } from './bundle';

export interface BundleInfo {
  dataName: string;
  mapping: Mapping | null;
  /** The original CSV text to include, or null (the default: data stays out). */
  data: string | null;
  appVersion: string;
}

export async function exportModelBundle(engine: Engine, sessionId: number, results: ModelResults, info: BundleInfo): Promise<Uint8Array> {
  const fit = engine.saveFit(sessionId);
  return writeBundle({
    fit,
    spend: results.spend,
    data: info.data,
    meta: {
      app: { name: 'MMM Studio', version: info.appVersion },
      createdAt: new Date().toISOString(),
      dataName: info.dataName,
      fingerprint: sha256Hex(results.actual, results.mediaInput),
      shape: results.shape,
      dates: results.dates,
      mediaUnit: results.mediaUnit,
      mapping: info.mapping,
      settings: { seed: results.seed, epochs: results.epochs, dagMode: results.dagMode },
      metrics: { train: results.metrics.train, holdout: results.metrics.holdout },
      truth: results.truth,
      ...(results.calibration ? { calibration: results.calibration } : {}),
      ...(results.intervals ? { intervals: storableIntervals(results.intervals) } : {}),
    },
  });
}

export interface OpenedBundle {
  sessionId: number;
  core: CoreFitResults;
  meta: BundleMeta;
  data: string | null;
}

/** Checks and opens a bundle into a new engine session (throws BundleError or EngineError). */
export async function importModelBundle(engine: Engine, bytes: Uint8Array): Promise<OpenedBundle> {
  const bundle = await readBundle(bytes);
  const { id, ...core } = engine.loadFit(bundle.fit, { dates: bundle.meta.dates, spend: bundle.spend });
  return { sessionId: id, core: core as CoreFitResults, meta: bundle.meta, data: bundle.data };
}
