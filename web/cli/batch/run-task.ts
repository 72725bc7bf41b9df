// One manifest row as one idempotent, atomic task: the fit writes into a temporary sibling of
// DIR/<id>/, result.json is written last, and one rename publishes the whole folder. A result that
// is already there means done, so scheduler retries and duplicate deliveries change nothing.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fitCommand } from '../commands/fit';
import { CliUsageError, type CliIo } from '../io';
import type { BatchTask } from './manifest';

/** Exit codes a scheduler can act on: 2 = bad input (retrying cannot help), 75 = EX_TEMPFAIL (a
 * crash; retry). A killed task exits by its signal, which schedulers also treat as retryable. */
export const EXIT_DONE = 0;
export const EXIT_BAD_INPUT = 2;
export const EXIT_RETRY = 75;

export const RESULT_FILE = 'result.json';

export interface TaskResult {
  status: 'done';
  id: string;
  index: number;
  /** The manifest row's cells, to tell a rerun of the same row from a changed row. */
  cells: Record<string, string>;
  attempt: number;
  host: string;
  timings: { started: string; finished: string; seconds: number };
  /** What `fit --json` printed. */
  fit: Record<string, unknown>;
}

export interface TaskFailure {
  status: 'failed';
  id: string;
  index: number;
  kind: 'bad-input' | 'crash';
  reason: string;
  attempt: number;
  host: string;
  at: string;
}

export const resultDir = (outDir: string, id: string) => join(outDir, id);
export const failureFile = (outDir: string, id: string) => join(outDir, `${id}.failed.json`);

export function readResult(outDir: string, id: string): TaskResult | null {
  return readJson<TaskResult>(join(resultDir(outDir, id), RESULT_FILE), `delete ${resultDir(outDir, id)} to refit task '${id}'`);
}

export function readFailure(outDir: string, id: string): TaskFailure | null {
  return readJson<TaskFailure>(failureFile(outDir, id), 'delete it; the task will be reported as missing until it runs again');
}

/** Both files are written whole (rename), so damage means something outside batch touched them. */
function readJson<T>(file: string, fix: string): T | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new CliUsageError(`${file} is not valid JSON (${err instanceof Error ? err.message : String(err)}): ${fix}`);
  }
}

const sameCells = (a: Record<string, string>, b: Record<string, string>) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** Temporary folders are `.<id>.tmp-<host>-<pid>`: hidden from collect, and removable once the
 * process that made them on this host is gone (a killed attempt leaves one behind). */
const tempPrefix = (id: string) => `.${id}.tmp-`;

function removeAbandonedTemps(outDir: string, id: string, host: string) {
  for (const name of readdirSync(outDir)) {
    if (!name.startsWith(tempPrefix(id) + host + '-')) continue;
    const pid = Number(name.slice((tempPrefix(id) + host + '-').length));
    if (Number.isInteger(pid) && pid !== process.pid && !processAlive(pid)) rmSync(join(outDir, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface RunTaskOptions {
  attempt: number;
}

/** Runs the task unless its result exists; returns the exit code for the scheduler. */
export async function runTask(task: BatchTask, outDir: string, io: CliIo, opts: RunTaskOptions): Promise<number> {
  const dir = resultDir(outDir, task.id);
  const done = existsSync(dir) ? readResult(outDir, task.id) : null;
  if (existsSync(dir) && !done) throw new CliUsageError(`${dir} exists but holds no ${RESULT_FILE}, so batch did not write it; move it away and rerun task ${task.index}`);
  if (done) {
    if (!sameCells(done.cells, task.cells)) throw new CliUsageError(`${dir} holds the result of a different manifest row (${JSON.stringify(done.cells)}); row ${task.index} is now ${JSON.stringify(task.cells)}. Delete ${dir} to refit it.`);
    io.stderr(`batch: task ${task.index} (${task.id}) is already done, nothing to do.`);
    return EXIT_DONE;
  }

  mkdirSync(outDir, { recursive: true });
  const host = hostname();
  removeAbandonedTemps(outDir, task.id, host);
  const temp = join(outDir, `${tempPrefix(task.id)}${host}-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  const started = new Date();
  let stdout = '';
  let stderr = '';
  // fit's stdout is its JSON; its stderr (progress, data errors) goes on to the task's log and
  // its last lines are kept as the reason should it fail.
  const capture: CliIo = {
    stdout: (t) => (stdout += t.endsWith('\n') ? t : `${t}\n`),
    stderr: (t) => {
      io.stderr(t);
      stderr = (stderr + (t.endsWith('\n') ? t : `${t}\n`)).split('\n').slice(-20).join('\n');
    },
  };
  const fail = (kind: TaskFailure['kind'], reason: string) => {
    rmSync(temp, { recursive: true, force: true });
    const failure: TaskFailure = { status: 'failed', id: task.id, index: task.index, kind, reason, attempt: opts.attempt, host, at: new Date().toISOString() };
    writeAtomically(failureFile(outDir, task.id), JSON.stringify(failure, null, 2) + '\n');
    io.stderr(`batch: task ${task.index} (${task.id}) failed (${kind === 'bad-input' ? 'bad input, not worth retrying' : 'crash, retry'}): ${reason}`);
    return kind === 'bad-input' ? EXIT_BAD_INPUT : EXIT_RETRY;
  };

  let code: number;
  try {
    code = await fitCommand([task.data, '--out', temp, '--json', ...task.fitArgs], capture);
  } catch (err) {
    if (err instanceof CliUsageError) return fail('bad-input', err.message);
    return fail('crash', err instanceof Error ? err.message : String(err));
  }
  // fit exits 1 when the data cannot be used for training: that is the input, not the machine.
  if (code !== 0) return fail(code === 1 || code === 2 ? 'bad-input' : 'crash', stderr.trim() || `fit exited with ${code}`);
  let fit: Record<string, unknown>;
  try {
    fit = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    return fail('crash', `fit --json printed no JSON: ${stdout.slice(0, 200)}`);
  }
  const finished = new Date();
  const result: TaskResult = {
    status: 'done',
    id: task.id,
    index: task.index,
    cells: task.cells,
    attempt: opts.attempt,
    host,
    timings: { started: started.toISOString(), finished: finished.toISOString(), seconds: (finished.getTime() - started.getTime()) / 1000 },
    fit,
  };
  // result.json last: a folder with it is complete by construction.
  writeFileSync(join(temp, RESULT_FILE), JSON.stringify(result, null, 2) + '\n');
  try {
    renameSync(temp, dir);
  } catch (err) {
    const c = (err as NodeJS.ErrnoException).code;
    // Another delivery of the same task published first: its result stands, ours is a duplicate.
    if ((c === 'ENOTEMPTY' || c === 'EEXIST') && readResult(outDir, task.id)) {
      rmSync(temp, { recursive: true, force: true });
      io.stderr(`batch: task ${task.index} (${task.id}) was completed meanwhile by another delivery; keeping that result.`);
      return EXIT_DONE;
    }
    throw err;
  }
  rmSync(failureFile(outDir, task.id), { force: true });
  io.stderr(`batch: task ${task.index} (${task.id}) done in ${result.timings.seconds.toFixed(1)} s → ${dir}`);
  const analysisError = (fit.analysis as { error?: string } | null | undefined)?.error;
  if (analysisError) io.stderr(`batch: warning: task ${task.index} (${task.id}) has metrics but no channel economics: its analysis failed (${analysisError})`);
  return EXIT_DONE;
}

/** Writes a file through a temporary name and a rename, so readers never see half of it. */
export function writeAtomically(file: string, text: string) {
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}
