// Benchmark for issue 15's target "`batch --local --jobs 2` finishes a 12-task manifest in
// ≤ 0.6 × the time of `--jobs 1`": 12 fits of 10 regions × 104 weeks, --jobs 1 and --jobs 2
// alternating (so drift in the machine's load hits both), the median wall time of each and their
// ratio. Also checks both give the same summary.csv. Run: node tests/slurm/bench-local-jobs.mjs [rounds]
// (not part of npm test: a timing, not a pass/fail check).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// MMM_STUDIO_BIN: another launcher, e.g. a copy of bin.mjs, build/cli and public/wasm kept apart
// from a checkout that is being rebuilt while the benchmark runs.
const bin = process.env.MMM_STUDIO_BIN ?? fileURLToPath(new URL('../../web/cli/bin.mjs', import.meta.url));
const rounds = Number(process.argv[2] ?? 2);
const dir = mkdtempSync(join(tmpdir(), 'mmm-bench-jobs-'));
const cli = (args) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mmm-studio ${args.join(' ')} failed:\n${r.stderr.trim().split('\n').slice(-6).join('\n')}`);
};
for (let i = 0; i < 4; i++) cli(['demo', '--out', `d${i}.csv`, '--regions', '10', '--weeks', '104', '--seed', String(30 + i)]);
writeFileSync(join(dir, 'm12.csv'), ['id,data,seed,holdout-weeks', ...Array.from({ length: 12 }, (_, i) => `t${i},d${i % 4}.csv,${1 + Math.floor(i / 4)},13`)].join('\n') + '\n');

const times = { 1: [], 2: [] };
for (let r = 0; r < rounds; r++) {
  for (const jobs of r % 2 ? [2, 1] : [1, 2]) {
    rmSync(join(dir, `out-${jobs}`), { recursive: true, force: true });
    const t0 = performance.now();
    cli(['batch', 'm12.csv', '--out', `out-${jobs}`, '--local', '--jobs', String(jobs)]);
    const s = (performance.now() - t0) / 1000;
    times[jobs].push(s);
    console.log(`round ${r + 1}: --jobs ${jobs} ${s.toFixed(1)} s (load average ${loadavg()[0].toFixed(1)})`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const same = readFileSync(join(dir, 'out-1', 'summary.csv')).equals(readFileSync(join(dir, 'out-2', 'summary.csv')));
console.log(`median --jobs 1 ${median(times[1]).toFixed(1)} s, --jobs 2 ${median(times[2]).toFixed(1)} s, ratio ${(median(times[2]) / median(times[1])).toFixed(2)} (target ≤ 0.60); summaries ${same ? 'identical' : 'DIFFER'}`);
rmSync(dir, { recursive: true, force: true });
process.exitCode = same ? 0 : 1;
