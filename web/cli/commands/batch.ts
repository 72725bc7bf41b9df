// `mmm-studio batch MANIFEST --out DIR (--task N | --collect | --local [--jobs J])`: many fits as
// the copies of one array job (SLURM, Kubernetes Indexed Jobs, AWS Batch, GNU parallel), each
// told its row; see docs/cluster.md.
import { parseArgs } from 'node:util';
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
dag, kpi, media, controls, time, region); an empty cell keeps fit's default.

--task N     runs row N (0-based). Without it the row comes from SLURM_ARRAY_TASK_ID,
             JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX. Writes DIR/<id>/ (fit --out's files
             and result.json) atomically; does nothing when it is already complete.
             Exit 0: done or already done. 2: bad input (manifest, data or option; do not retry).
             75 or killed by a signal: a crash (retry). A failure also writes DIR/<id>.failed.json.
--collect    writes DIR/summary.csv (one row per id, manifest order: status, holdout metrics,
             channel ROIs and shares); exit 1 listing missing or failed ids.
--local      runs every row here, --jobs J at a time (default 1), then collects.`;

export async function batchCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        task: { type: 'string' },
        collect: { type: 'boolean' },
        local: { type: 'boolean' },
        jobs: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new CliUsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (positionals.length !== 1) throw new CliUsageError(`expected one manifest CSV, got ${positionals.length ? positionals.map((p) => `'${p}'`).join(' ') : 'none'}.\n${USAGE}`);
  if (!values.out) throw new CliUsageError(`--out DIR is required (where the results go).\n${USAGE}`);
  const modes = [values.task !== undefined && '--task', values.collect && '--collect', values.local && '--local'].filter(Boolean);
  if (modes.length > 1) throw new CliUsageError(`${modes.join(' and ')} cannot be combined: pick one`);
  if (values.jobs !== undefined && !values.local) throw new CliUsageError('--jobs only applies to --local');
  const jobs = values.jobs === undefined ? 1 : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) throw new CliUsageError(`--jobs must be a whole number from 1 to 256 (got '${values.jobs}')`);

  const manifestArg = positionals[0];
  const manifest = readManifest(manifestArg);
  const out = values.out;
  if (values.collect) return collectCommand(manifest, out, io);
  if (values.local) {
    await runLocal(manifest, manifestArg, out, jobs, io);
    return collectCommand(manifest, out, io);
  }
  const index = resolveTaskIndex(values.task, process.env, manifest.tasks.length);
  return runTask(manifest.tasks[index], out, io, { attempt: attemptOf(process.env) });
}
