// --local: every manifest row on this machine, J at a time, each as its own CLI process running
// `batch --task N` (the same path a scheduler takes, and a crash takes down one task, not all).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../io';
import type { Manifest } from './manifest';

/** The CLI's launcher: web/cli/bin.mjs, found from the bundle (build/cli/) or from the sources
 * (web/cli/batch/, under Vitest). */
export function cliLauncher(): string {
  for (const rel of ['../../web/cli/bin.mjs', '../bin.mjs']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('cannot find web/cli/bin.mjs next to the CLI bundle; run batch from the repository checkout');
}

export interface LocalRun {
  index: number;
  id: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
  stderrTail: string;
}

export async function runLocal(manifest: Manifest, manifestArg: string, outDir: string, jobs: number, io: CliIo): Promise<LocalRun[]> {
  const launcher = cliLauncher();
  const runs: LocalRun[] = [];
  const total = manifest.tasks.length;
  const t0 = Date.now();
  let next = 0;
  const runOne = (index: number) =>
    new Promise<LocalRun>((resolvePromise) => {
      const task = manifest.tasks[index];
      const started = Date.now();
      // The scheduler variables are cleared so --task is the only index the child sees.
      const env = { ...process.env, SLURM_ARRAY_TASK_ID: '', JOB_COMPLETION_INDEX: '', AWS_BATCH_JOB_ARRAY_INDEX: '' };
      const child = spawn(process.execPath, [launcher, 'batch', manifestArg, '--out', outDir, '--task', String(index)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
      child.on('close', (code, signal) => resolvePromise({ index, id: task.id, code, signal, seconds: (Date.now() - started) / 1000, stderrTail: stderr.trim() }));
    });
  const worker = async () => {
    while (next < total) {
      const run = await runOne(next++);
      runs.push(run);
      const ok = run.code === 0;
      io.stderr(`[${runs.length}/${total}] ${run.id} ${ok ? 'done' : `FAILED (${run.signal ?? `exit ${run.code}`})`} in ${run.seconds.toFixed(1)} s · ${((Date.now() - t0) / 1000).toFixed(0)} s elapsed`);
      if (!ok && run.stderrTail) io.stderr(run.stderrTail.split('\n').slice(-5).map((l) => `    ${l}`).join('\n'));
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, total) }, worker));
  return runs.sort((a, b) => a.index - b.index);
}
