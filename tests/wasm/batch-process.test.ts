// `mmm-studio batch` as separate processes of the built CLI (web/cli/bin.mjs → build/cli/): a task
// killed mid-run leaves no half result, duplicate deliveries write once, --local runs every row.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliLauncher } from '../../web/cli/batch/local';
import { readSummary } from './batch-helpers';

const bin = cliLauncher();
// The index variables of an outer scheduler must not leak into the children.
const env = { ...process.env, SLURM_ARRAY_TASK_ID: '', JOB_COMPLETION_INDEX: '', AWS_BATCH_JOB_ARRAY_INDEX: '' };
const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8' });
const runAsync = (args: string[], cwd: string) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hidden = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith('.')) : []);

describe('batch tasks as processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-batch-proc-'));

  beforeAll(() => {
    for (const [name, size] of [['small.csv', ['3', '60']], ['large.csv', ['40', '104']]] as const) {
      const r = cli(['demo', '--out', name, '--regions', size[0], '--weeks', size[1], '--seed', '8'], dir);
      expect(r.status, r.stderr).toBe(0);
    }
    writeFileSync(join(dir, 'bad.csv'), 'week,sales\n2024-01-01,1\n');
    writeFileSync(join(dir, 'manifest.csv'), 'id,data,seed,holdout-weeks\nlarge,large.csv,1,8\nsmall-1,small.csv,1,8\nsmall-2,small.csv,2,8\nbroken,bad.csv,1,\n');
  });

  it('a task killed mid-run leaves no DIR/<id>/; the retry publishes it and clears the leftover', async () => {
    const out = join(dir, 'killed');
    const child = spawn(process.execPath, [bin, 'batch', 'manifest.csv', '--out', out, '--task', '0'], { cwd: dir, env, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Wait until the fit is under way (its temporary folder exists), then kill it hard.
    for (let i = 0; i < 600 && hidden(out).length === 0; i++) await sleep(50);
    expect(hidden(out)).toHaveLength(1);
    expect(existsSync(join(out, 'large'))).toBe(false);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(join(out, 'large'))).toBe(false);
    expect(hidden(out)[0]).toMatch(/^\.large\.tmp-/);

    const retry = cli(['batch', 'manifest.csv', '--out', out, '--task', '0'], dir);
    expect(retry.status, retry.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'large', 'result.json'), 'utf8'))).toMatchObject({ status: 'done', id: 'large' });
    expect(hidden(out)).toEqual([]);
  });

  it('two deliveries of the same task at once publish one result and both exit 0', async () => {
    const out = join(dir, 'twice');
    const [a, b] = await Promise.all([runAsync(['batch', 'manifest.csv', '--out', out, '--task', '1'], dir), runAsync(['batch', 'manifest.csv', '--out', out, '--task', '1'], dir)]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(readdirSync(out)).toEqual(['small-1']);
    expect(JSON.parse(readFileSync(join(out, 'small-1', 'result.json'), 'utf8')).status).toBe('done');
    // The second either saw the finished result or lost the rename race and kept the winner's.
    expect(a.stderr + b.stderr).toMatch(/already done|completed meanwhile by another delivery/);
  });

  it('--local --jobs 2 runs every row with progress, collects, and exits 1 naming the failed row', () => {
    const out = join(dir, 'local');
    const r = cli(['batch', 'manifest.csv', '--out', out, '--local', '--jobs', '2'], dir);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/\[4\/4\]/);
    expect(r.stderr).toMatch(/broken FAILED \(exit 2\)/);
    expect(r.stderr).toMatch(/3\/4 done, 1 failed, 0 missing/);
    expect(readSummary(join(out, 'summary.csv')).rows.map((r) => `${r.id} ${r.status}`)).toEqual(['large done', 'small-1 done', 'small-2 done', 'broken failed']);
    expect(hidden(out)).toEqual([]);
  });
});
