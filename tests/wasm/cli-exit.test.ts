// The built CLI as a user runs it (node web/cli/bin.mjs → build/cli/mmm-studio.mjs), in its own
// process: every command must end as soon as its work is done, whatever the thread count.
//
// Regression (issue 14): `fit --threads 2` on a 190-region panel printed its JSON and then never
// exited — core-mt's pthread workers kept Node's event loop alive (web/src/engine/node-core.ts).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'web/cli/bin.mjs');
const bundle = join(root, 'build/cli/mmm-studio.mjs');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs the CLI; a process still alive after `timeoutMs` is killed (then signal is SIGKILL).
 * `readBytes`: stop reading stdout after that many bytes and close it, as `| head` does. */
function runCli(args: string[], timeoutMs: number, stdin?: string, readBytes?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      if (readBytes !== undefined && stdout.length >= readBytes) child.stdout.destroy();
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, seconds: (performance.now() - started) / 1000 });
    });
    child.stdin.end(stdin ?? '');
  });
}

describe('the built CLI exits when its work is done', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-cli-exit-'));
  const panel = join(dir, 'panel150.csv');

  beforeAll(() => {
    if (!existsSync(bundle)) throw new Error(`${bundle} is not built: run 'npm run build' (or node web/scripts/build-cli.mjs)`);
    const newestSource = Math.max(...['web/cli/main.ts', 'web/cli/io.ts', 'web/cli/args.ts', 'web/src/engine/node-core.ts'].map((f) => statSync(join(root, f)).mtimeMs));
    if (statSync(bundle).mtimeMs < newestSource) throw new Error(`${bundle} is older than the CLI sources: rebuild it (node web/scripts/build-cli.mjs)`);
  });

  it('regression: fit --threads 2 on a 150-region panel prints its JSON and exits 0 (it used to hang forever)', async () => {
    const demo = await runCli(['demo', '--out', panel, '--regions', '150', '--weeks', '40', '--channels', '2', '--controls', '1', '--seed', '3'], 60_000);
    expect(demo.signal).toBeNull();
    expect(demo.code).toBe(0);

    const fit = await runCli(['fit', panel, '--threads', '2', '--epochs', '2', '--hidden', '8', '--json', '--out', join(dir, 'fit150')], 90_000);
    // Killed by the timeout = the hang is back.
    expect(fit.signal, `still running after 90 s; stderr:\n${fit.stderr}`).toBeNull();
    expect(fit.code, fit.stderr).toBe(0);
    const summary = JSON.parse(fit.stdout);
    expect(summary.shape.regions).toBe(150);
    expect(summary.engine).toEqual({ variant: 'core-mt', threads: 2 });
    expect(fit.stderr).toMatch(/^fit: .*150 regions × 40 weeks/m);
    expect(fit.stderr).toMatch(/^fit: analysis done/m);
  });

  it('every command that loads the threaded core exits too: info, optimize --threads 2, fit from standard input', async () => {
    const info = await runCli(['info'], 30_000);
    expect(info.signal).toBeNull();
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout)['core-mt'].threads).toBe(true);

    const out = join(dir, 'fit');
    const small = join(dir, 'small.csv');
    expect((await runCli(['demo', '--out', small, '--regions', '5', '--weeks', '40', '--channels', '2', '--controls', '1'], 30_000)).code).toBe(0);
    const fit = await runCli(['fit', '-', '--threads', '2', '--epochs', '2', '--hidden', '8', '--quiet', '--out', out], 60_000, readFileSync(small, 'utf8'));
    expect(fit.signal).toBeNull();
    expect(fit.code, fit.stderr).toBe(0);
    expect(fit.stderr).toBe('');
    const opt = await runCli(['optimize', join(out, 'model.mmm'), '--threads', '2', '--weeks', '8', '--json'], 60_000);
    expect(opt.signal).toBeNull();
    expect(opt.code, opt.stderr).toBe(0);
    expect(JSON.parse(opt.stdout).weeks).toBe(8);
  });

  it('regression: a reader that closes the pipe early (predict … | head) ends the CLI quietly with 0, not an EPIPE stack trace', async () => {
    // 150 regions × 40 weeks of predictions is far more than a pipe buffer holds.
    const head = await runCli(['predict', join(dir, 'fit150', 'model.mmm'), panel], 60_000, undefined, 100);
    expect(head.signal).toBeNull();
    expect(head.stderr).not.toMatch(/EPIPE|Error/);
    expect(head.code).toBe(0);
    expect(head.stdout.startsWith('region,week,prediction,actual')).toBe(true);
  });
});
