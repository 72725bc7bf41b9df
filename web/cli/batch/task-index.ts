// Which manifest row this process runs: --task, else the index the scheduler gives each copy of
// an array job. All are 0-based row indices here; SLURM passes whatever --array says, so the
// scripts in docs/cluster.md use --array=0-(N-1).
import { CliUsageError } from '../io';

/** Environment variables set by array-job schedulers, in the order they are consulted. */
export const TASK_INDEX_VARIABLES = ['SLURM_ARRAY_TASK_ID', 'JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX'] as const;

export function resolveTaskIndex(option: string | undefined, env: NodeJS.ProcessEnv, taskCount: number): number {
  const from = option !== undefined ? { source: '--task', value: option } : TASK_INDEX_VARIABLES.map((v) => ({ source: v, value: env[v] })).find((c) => c.value !== undefined && c.value !== '');
  if (!from) throw new CliUsageError(`no task index: pass --task N (0 to ${taskCount - 1}), or run under a scheduler that sets ${TASK_INDEX_VARIABLES.join(', ')}; or use --local / --collect`);
  const n = Number(from.value);
  if (!/^\d+$/.test(from.value!.trim()) || !Number.isSafeInteger(n)) throw new CliUsageError(`${from.source}='${from.value}' is not a task index (a whole number from 0 to ${taskCount - 1})`);
  if (n >= taskCount) throw new CliUsageError(`${from.source}=${n} is past the manifest's last row: it has ${taskCount} task${taskCount === 1 ? '' : 's'}, indices 0 to ${taskCount - 1} (indices are 0-based rows; use sbatch --array=0-${taskCount - 1})`);
  return n;
}

/** Which attempt this is, from the scheduler when it says (SLURM counts requeues, AWS Batch attempts). */
export function attemptOf(env: NodeJS.ProcessEnv): number {
  const slurm = Number(env.SLURM_RESTART_COUNT);
  if (Number.isInteger(slurm) && slurm >= 0 && env.SLURM_RESTART_COUNT !== '') return slurm + 1;
  const aws = Number(env.AWS_BATCH_JOB_ATTEMPT);
  if (Number.isInteger(aws) && aws >= 1) return aws;
  return 1;
}
