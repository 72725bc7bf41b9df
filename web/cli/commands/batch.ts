// `mmm-studio batch MANIFEST --out DIR (--task N | --collect | --local [--jobs J])`: many fits as
// the copies of one array job (SLURM, Kubernetes Indexed Jobs, AWS Batch, GNU parallel), each
// told its row; see docs/cluster.md.
import { parseCommandArgs, type CommandSpec } from '../args';
import { CliUsageError, type CliIo } from '../io';
import { collectCommand } from '../batch/collect';
import { runLocal } from '../batch/local';
import { readManifest } from '../batch/manifest';
import { attemptOf, resolveTaskIndex } from '../batch/task-index';
import { runTask } from '../batch/run-task';

const USAGE = `Usage: mmm-studio batch MANIFEST.csv --out DIR [--task N]
       mmm-studio batch MANIFEST.csv --out DIR --collect
       mmm-studio batch MANIFEST.csv --out DIR --local [--jobs J]

MANIFEST.csv has one row per task: columns id, data (a CSV; relative paths are read from the
manifest's folder) and any fit option as a column (seed, holdout-weeks, epochs, hidden, threads,
dag, kpi, media, controls, time, region); an empty cell keeps fit's default. The whole
manifest is checked first; a mistake names its row, line and column.

--task N     runs row N (0-based). Without it the row comes from SLURM_ARRAY_TASK_ID,
             JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX. Writes DIR/<id>/ (fit --out's files
             and result.json) atomically; does nothing when it is already complete.
             Exit 0: done or already done. 2: bad input (manifest, data or option; do not retry).
             75 or killed by a signal: a crash (retry). A failure also writes DIR/<id>.failed.json.
--collect    writes DIR/summary.csv (one row per id, manifest order: status, holdout metrics,
             channel ROIs and shares); exit 1 listing missing or failed ids.
--local      runs every row here, --jobs J at a time (default 1), then collects.
  -h, --help   this help

Scripts for SLURM, Kubernetes, AWS Batch and GNU parallel: docs/cluster.md.`;

export const BATCH: CommandSpec<{ out: { type: 'string' }; task: { type: 'string' }; collect: { type: 'boolean' }; local: { type: 'boolean' }; jobs: { type: 'string' } }> = {
  name: 'batch',
  usage: USAGE,
  options: { out: { type: 'string' }, task: { type: 'string' }, collect: { type: 'boolean' }, local: { type: 'boolean' }, jobs: { type: 'string' } },
  positionals: { min: 1, max: 1, what: 'one manifest CSV' },
};

export async function batchCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, BATCH, io);
  if (!args) return 0;
  const out = args.string('out');
  if (!out) throw new CliUsageError('--out DIR is required (where the results go)', USAGE);
  const task = args.string('task');
  const modes = [task !== undefined && '--task', args.flag('collect') && '--collect', args.flag('local') && '--local'].filter(Boolean);
  if (modes.length > 1) throw new CliUsageError(`${modes.join(' and ')} cannot be combined: pick one`, USAGE);
  if (args.string('jobs') !== undefined && !args.flag('local')) throw new CliUsageError('--jobs only applies to --local', USAGE);
  const jobs = args.int('jobs', 1, 256) ?? 1;

  const manifestArg = args.positional[0];
  const manifest = readManifest(manifestArg);
  if (args.flag('collect')) return collectCommand(manifest, out, io);
  if (args.flag('local')) {
    await runLocal(manifest, manifestArg, out, jobs, io);
    return collectCommand(manifest, out, io);
  }
  const index = resolveTaskIndex(task, process.env, manifest.tasks.length);
  return runTask(manifest.tasks[index], out, io, { attempt: attemptOf(process.env) });
}
