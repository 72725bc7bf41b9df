// The SLURM test layer (`npm test`, layer `slurm`): `mmm-studio batch` as a real array job.
// As root on Debian it installs slurm-wlm and munge when missing, starts a one-node cluster on
// loopback (local-cluster.mjs), submits the sbatch script from docs/cluster.md over a 12-task
// manifest, kills one task mid-run and requeues it, collects, and checks the summary equals
// `batch --local`'s byte for byte. Elsewhere it prints "slurm: skipped: <reason>" and exits 77.
// Last line: "slurm: N passed, M failed" (read by web/scripts/test-all.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { startCluster } from './local-cluster.mjs';

export const EXIT_SKIPPED = 77;
const root = fileURLToPath(new URL('../../', import.meta.url));
// MMM_STUDIO_BIN tests another launcher of the CLI (default: this checkout's web/cli/bin.mjs).
const bin = process.env.MMM_STUDIO_BIN ?? join(root, 'web/cli/bin.mjs');
const TASKS = 12;
const KILLED = 5; // the row killed mid-run and requeued: it fits a larger panel, so it runs longest
const say = (m) => console.log(`slurm: ${m}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

function skipReason() {
  if (process.platform !== 'linux') return `needs Linux to run a local SLURM cluster (this is ${process.platform})`;
  if (process.getuid() !== 0) return 'needs root to install slurm-wlm and munge and start their daemons (CI runs npm test as root)';
  if (!existsSync('/etc/debian_version')) return 'needs Debian (apt-get) to install slurm-wlm and munge';
  return null;
}

const checks = [];
function check(name, ok, detail = '') {
  checks.push(ok);
  console.log(`  ${ok ? '✓' : '✗'} ${name}${ok || !detail ? '' : `: ${detail}`}`);
  return ok;
}

function installSlurm() {
  const tools = ['munged', 'mungekey', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'scontrol', 'sinfo'];
  const missing = tools.filter((t) => !has(t));
  if (!missing.length) return;
  say(`installing slurm-wlm munge with apt-get (missing: ${missing.join(', ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'slurm-wlm', 'munge']]) {
    const r = spawnSync('apt-get', args, { env, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  }
}

const cli = (args, cwd) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, SLURM_ARRAY_TASK_ID: '' }, timeout: 300_000 });

/** The sbatch script exactly as docs/cluster.md shows it. */
function documentedScript() {
  const doc = readFileSync(join(root, 'docs/cluster.md'), 'utf8');
  const m = /```sh\n(#!\/bin\/sh\n#SBATCH[\s\S]*?)```/.exec(doc);
  if (!m) throw new Error('docs/cluster.md has no ```sh block starting with #!/bin/sh and #SBATCH lines');
  return m[1];
}

async function until(what, seconds, probe) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await sleep(100);
  }
}

function makeManifest(work) {
  const made = [];
  for (let i = 0; i < 4; i++) made.push(cli(['demo', '--out', `small-${i}.csv`, '--regions', '3', '--weeks', '60', '--seed', String(10 + i)], work));
  made.push(cli(['demo', '--out', 'big.csv', '--regions', '40', '--weeks', '104', '--seed', '20'], work));
  const bad = made.find((r) => r.status !== 0);
  if (bad) throw new Error(`mmm-studio demo failed: ${bad.stderr || bad.error}`);
  const rows = Array.from({ length: TASKS }, (_, i) => `task-${String(i).padStart(2, '0')},${i === KILLED ? 'big.csv' : `small-${i % 4}.csv`},${1 + Math.floor(i / 4)},8`);
  writeFileSync(join(work, 'manifest.csv'), ['id,data,seed,holdout-weeks', ...rows].join('\n') + '\n');
  return rows.map((r) => r.split(',')[0]);
}

const arrayTasks = (text) =>
  text
    .split(/\n\s*\n/)
    .map((rec) => ({ task: /ArrayTaskId=(\S+)/.exec(rec)?.[1], state: /JobState=(\S+)/.exec(rec)?.[1], restarts: Number(/Restarts=(\d+)/.exec(rec)?.[1]), exit: /ExitCode=(\S+)/.exec(rec)?.[1] }))
    .filter((t) => t.task !== undefined);

async function runLayer(dir) {
  const work = join(dir, 'work');
  mkdirSync(work);
  say(`cluster and files in ${dir}`);
  const cluster = await startCluster(dir, { cpus: 2, log: say });
  // Killed from outside (a CI timeout): stop the daemons first, they are not in our process group's way.
  const onSignal = (signal) => {
    say(`${signal}: stopping the daemons`);
    cluster.stop().finally(() => process.exit(1));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const t0 = Date.now();
    const srun = spawnSync('srun', ['-N1', '-n1', 'hostname'], { env: cluster.env, encoding: 'utf8', timeout: 30_000 });
    check(`a one-node cluster (${cluster.cpus} CPUs) answers srun hostname (${cluster.node})`, srun.status === 0 && srun.stdout.trim().length > 0, srun.stderr || String(srun.error));

    const ids = makeManifest(work);
    writeFileSync(join(work, 'mmm-batch.sbatch'), documentedScript());
    const jobEnv = { ...cluster.env, MANIFEST: 'manifest.csv', OUT: 'results', MMM_STUDIO: `${process.execPath} ${bin}` };
    const sub = spawnSync('sbatch', ['--parsable', `--array=0-${TASKS - 1}`, 'mmm-batch.sbatch'], { cwd: work, env: jobEnv, encoding: 'utf8' });
    if (sub.status !== 0) throw new Error(`sbatch failed: ${sub.stderr}`);
    const job = sub.stdout.trim().split(';')[0];
    say(`submitted array job ${job} (--array=0-${TASKS - 1}, the script from docs/cluster.md)`);

    // Kill the task while its fit runs: its temporary folder exists and its result does not yet.
    const results = join(work, 'results');
    const killedId = ids[KILLED];
    const temps = () => (existsSync(results) ? readdirSync(results).filter((n) => n.startsWith(`.${killedId}.tmp-`)) : []);
    await until(`task ${KILLED} to start fitting`, 180, () => temps().length > 0 || existsSync(join(results, killedId)));
    const midRun = !existsSync(join(results, killedId));
    const requeue = spawnSync('scontrol', ['requeue', `${job}_${KILLED}`], { env: cluster.env, encoding: 'utf8' });
    check(`scontrol requeue ${job}_${KILLED} while its fit runs`, midRun && requeue.status === 0, midRun ? requeue.stderr : 'the task finished before it could be killed');
    await until(`task ${KILLED} to be pending again`, 30, () => spawnSync('squeue', ['-h', '-j', `${job}_${KILLED}`, '-o', '%T'], { env: cluster.env, encoding: 'utf8' }).stdout.includes('PENDING'));
    check('the killed task left no results/<id>/ (only its hidden temporary folder)', !existsSync(join(results, killedId)) && temps().length > 0, `exists: ${existsSync(join(results, killedId))}, temporary folders: ${temps().join(', ') || 'none'}`);
    // A requeued job waits for SLURM's begin-time delay (~2 min) unless released.
    spawnSync('scontrol', ['update', `jobid=${job}_${KILLED}`, 'StartTime=now'], { env: cluster.env });

    await until(`array job ${job} to finish`, 240, () => spawnSync('squeue', ['-h', '-j', job], { env: cluster.env, encoding: 'utf8' }).stdout.trim() === '');
    say(`array job done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    const tasks = arrayTasks(spawnSync('scontrol', ['show', 'job', job], { env: cluster.env, encoding: 'utf8' }).stdout);
    const notCompleted = tasks.filter((t) => t.state !== 'COMPLETED');
    check(`all ${TASKS} array tasks COMPLETED`, tasks.length === TASKS && notCompleted.length === 0, `${tasks.length} tasks; not completed: ${notCompleted.map((t) => `${t.task} ${t.state} ${t.exit}`).join(', ')}`);
    const killed = tasks.find((t) => t.task === String(KILLED));
    check(`task ${KILLED} was restarted once by SLURM`, killed?.restarts === 1, `Restarts=${killed?.restarts}`);
    const result = existsSync(join(results, killedId, 'result.json')) ? JSON.parse(readFileSync(join(results, killedId, 'result.json'), 'utf8')) : null;
    check(`its result records attempt 2 (from SLURM_RESTART_COUNT)`, result?.attempt === 2, `attempt ${result?.attempt}`);
    const leftovers = readdirSync(results).filter((n) => n.startsWith('.'));
    check('no temporary folders are left after the retry', leftovers.length === 0, leftovers.join(', '));

    const collected = cli(['batch', 'manifest.csv', '--out', 'results', '--collect'], work);
    check('batch --collect exits 0 with every id done', collected.status === 0 && /12\/12 done/.test(collected.stderr), collected.stderr.trim());
    const summary = Papa.parse(readFileSync(join(results, 'summary.csv'), 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });
    const rois = (summary.meta.fields ?? []).filter((f) => f.startsWith('roi:'));
    const complete = summary.data.filter((r) => r.status === 'done' && Number.isFinite(Number(r.holdout_r2)) && r.holdout_r2 !== '' && rois.every((f) => r[f] !== ''));
    check('summary.csv: a done row per id, in manifest order, with holdout metrics and channel ROIs', complete.length === TASKS && rois.length > 0 && summary.data.map((r) => r.id).join() === ids.join(), `${complete.length} complete rows, ROI columns: ${rois.join(' ') || 'none'}`);

    const t1 = Date.now();
    const local = cli(['batch', 'manifest.csv', '--out', 'results-local', '--local', '--jobs', '2'], work);
    say(`batch --local --jobs 2 took ${((Date.now() - t1) / 1000).toFixed(0)} s`);
    check('batch --local --jobs 2 exits 0', local.status === 0, local.stderr.trim().split('\n').slice(-5).join(' | '));
    const a = existsSync(join(results, 'summary.csv')) ? readFileSync(join(results, 'summary.csv')) : Buffer.alloc(0);
    const b = existsSync(join(work, 'results-local', 'summary.csv')) ? readFileSync(join(work, 'results-local', 'summary.csv')) : Buffer.alloc(1);
    const differing = a.toString().split('\n').filter((line, i) => line !== b.toString().split('\n')[i]);
    check('the SLURM summary equals the --local summary byte for byte', a.equals(b), `${differing.length} differing lines, first: ${differing[0]}`);
  } catch (err) {
    check('the layer ran to the end', false, err instanceof Error ? err.message : String(err));
  } finally {
    if (checks.includes(false)) {
      for (const f of ['slurmctld.log', 'slurmd.log']) {
        const p = join(cluster.logs, f);
        if (existsSync(p)) console.log(`--- last lines of ${p}\n${readFileSync(p, 'utf8').trim().split('\n').slice(-15).join('\n')}`);
      }
      for (const f of existsSync(work) ? readdirSync(work).filter((n) => n.endsWith('.log')) : []) console.log(`--- ${f}\n${readFileSync(join(work, f), 'utf8').trim().split('\n').slice(-8).join('\n')}`);
    }
    await cluster.stop();
    say('daemons stopped');
  }
}

async function main() {
  const reason = skipReason();
  if (reason) {
    say(`skipped: ${reason}`);
    return EXIT_SKIPPED;
  }
  if (!existsSync(join(root, 'build/cli/mmm-studio.mjs'))) {
    say('failed: the CLI is not built (build/cli/mmm-studio.mjs); run npm run build first');
    return 1;
  }
  const dir = mkdtempSync(join(tmpdir(), 'mmm-slurm-'));
  try {
    installSlurm();
    await runLayer(dir);
  } catch (err) {
    check('the cluster started', false, err instanceof Error ? err.message : String(err));
  }
  const failed = checks.filter((c) => !c).length;
  if (failed === 0) rmSync(dir, { recursive: true, force: true });
  else say(`kept ${dir} for inspection`);
  say(`${checks.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
