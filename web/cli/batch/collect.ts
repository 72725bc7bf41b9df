// DIR/summary.csv from the tasks' results: one row per manifest row, in manifest order, with no
// timings or host names, so two runs of the same manifest give the same file byte for byte.
import { join } from 'node:path';
import { toCsv } from '../../src/export/csv';
import type { CliIo } from '../io';
import type { Manifest } from './manifest';
import { readFailure, readResult, writeAtomically, type TaskResult } from './run-task';

/** Exit code of --collect when some tasks are missing or failed. */
export const EXIT_INCOMPLETE = 1;

interface FitJson {
  epochs?: number;
  seed?: number;
  train?: { r2?: number | null };
  holdout?: { r2?: number | null; r2_within?: number | null; wape?: number | null; n?: number; skill?: { recent_mean?: number | null; seasonal_naive?: number | null } };
  economics?: { channel: string; share: number; roi: number | null }[];
  media_share?: number | null;
  analysis?: { error?: string } | null;
}

type Entry = { id: string; result: TaskResult } | { id: string; result: null; status: 'failed' | 'missing'; reason: string };
type Cell = string | number | null | undefined;

export interface CollectOutcome {
  file: string;
  done: string[];
  failed: string[];
  missing: string[];
}

export function collect(manifest: Manifest, outDir: string): CollectOutcome & { rows: Record<string, Cell>[]; columns: string[] } {
  const outcome: CollectOutcome = { file: join(outDir, 'summary.csv'), done: [], failed: [], missing: [] };
  const entries = manifest.tasks.map((task): Entry => {
    const result = readResult(outDir, task.id);
    if (result) {
      outcome.done.push(task.id);
      return { id: task.id, result };
    }
    const failure = readFailure(outDir, task.id);
    (failure ? outcome.failed : outcome.missing).push(task.id);
    return { id: task.id, result: null, status: failure ? 'failed' : 'missing', reason: failure ? `${failure.kind}: ${failure.reason}` : '' };
  });
  // Channel columns: every channel seen, in first-seen manifest order (tasks may differ in media).
  const channels: string[] = [];
  for (const e of entries) for (const c of (e.result ? fitOf(e.result).economics ?? [] : [])) if (!channels.includes(c.channel)) channels.push(c.channel);
  const hasMediaShare = entries.some((e) => e.result && fitOf(e.result).media_share !== undefined);
  // A fit whose analysis failed has metrics but no ROIs: say so rather than leave blank cells.
  const hasAnalysisError = entries.some((e) => e.result && fitOf(e.result).analysis?.error);
  const columns = [
    'id', 'status', 'seed', 'epochs', 'train_r2', 'holdout_r2', 'holdout_r2_within', 'holdout_wape', 'holdout_skill_recent_mean', 'holdout_skill_seasonal_naive', 'holdout_n',
    ...(hasMediaShare ? ['media_share'] : []),
    ...channels.map((c) => `roi:${c}`),
    ...channels.map((c) => `share:${c}`),
    ...(hasAnalysisError ? ['analysis_error'] : []),
    'reason',
  ];
  const rows = entries.map((e): Record<string, Cell> => {
    if (!e.result) return { id: e.id, status: e.status, reason: e.reason };
    const f = fitOf(e.result);
    const h = f.holdout ?? {};
    const row: Record<string, Cell> = {
      id: e.id, status: 'done', seed: f.seed, epochs: f.epochs, train_r2: f.train?.r2,
      holdout_r2: h.r2, holdout_r2_within: h.r2_within, holdout_wape: h.wape, holdout_skill_recent_mean: h.skill?.recent_mean, holdout_skill_seasonal_naive: h.skill?.seasonal_naive, holdout_n: h.n,
      media_share: f.media_share,
      analysis_error: f.analysis?.error,
    };
    for (const c of f.economics ?? []) {
      row[`roi:${c.channel}`] = c.roi;
      row[`share:${c.channel}`] = c.share;
    }
    return row;
  });
  // The app's one CSV writer: numbers as the shortest text that reads back as the same double, so
  // the file is exact and reproducible.
  writeAtomically(outcome.file, toCsv(rows, columns));
  return { ...outcome, rows, columns };
}

const fitOf = (r: TaskResult) => r.fit as FitJson;

export function collectCommand(manifest: Manifest, outDir: string, io: CliIo): number {
  const o = collect(manifest, outDir);
  const total = manifest.tasks.length;
  io.stderr(`batch: ${o.done.length}/${total} done, ${o.failed.length} failed, ${o.missing.length} missing → ${o.file}`);
  if (o.failed.length) io.stderr(`  failed: ${o.failed.join(', ')} (reasons in ${join(outDir, '<id>.failed.json')} and the reason column)`);
  if (o.missing.length) io.stderr(`  missing: ${o.missing.join(', ')}`);
  return o.failed.length || o.missing.length ? EXIT_INCOMPLETE : 0;
}
