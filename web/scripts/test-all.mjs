// `npm test` after bootstrap: every test layer in order, then one summary line
// "N passed, M failed" (the plain closing line CI reads). Exit code is non-zero on any failure.
//   1. Google Test on the native core (CTest, preset native-debug)
//   2. Vitest: the real wasm (core-st and core-mt) in Node
//   3. Vitest: web units
//   4. Vitest + playwright-core + Chromium: end to end against the built app
//   5. `mmm-studio batch` as a SLURM array job on a local one-node cluster (tests/slurm/; root
//      on Debian only, otherwise a "skipped: <reason>" line that counts as neither pass nor fail)
//   0. the TypeScript type check (strict) of the app, CLI and tests
// MMM_LAYERS=types,cpp,wasm,web,e2e,slurm selects layers.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const resultsDir = join(root, 'build/test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });
const wanted = (process.env.MMM_LAYERS ?? 'types,cpp,wasm,web,e2e,slurm').split(',');

const summary = [];

function runCtest() {
  const t0 = Date.now();
  const r = spawnSync('ctest', ['--preset', 'native-debug', '--output-junit', join(resultsDir, 'cpp.xml')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(r.stdout.split('\n').filter((l) => !/Test +#\d+: .* Passed/.test(l)).join('\n'));
  const m = /(\d+)% tests passed, (\d+) tests failed out of (\d+)/.exec(r.stdout);
  const total = m ? Number(m[3]) : 0;
  const failed = m ? Number(m[2]) : 1;
  summary.push({ layer: 'cpp (Google Test)', passed: total - failed, failed: r.status === 0 ? failed : Math.max(failed, 1), seconds: (Date.now() - t0) / 1000 });
}

function runVitest(layer, label) {
  const t0 = Date.now();
  const out = join(resultsDir, `${layer}.json`);
  const r = spawnSync('npx', ['vitest', 'run', '--config', `tests/${layer}/vitest.config.ts`, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`],
    { cwd: root, stdio: 'inherit' });
  let passed = 0;
  let failed = r.status === 0 ? 0 : 1;
  if (existsSync(out)) {
    const j = JSON.parse(readFileSync(out, 'utf8'));
    passed = j.numPassedTests;
    failed = j.numFailedTests + (r.status !== 0 && j.numFailedTests === 0 ? 1 : 0);
    if (j.numTotalTests === 0) failed += 1; // a layer that ran nothing is a failure
  }
  summary.push({ layer: label, passed, failed, seconds: (Date.now() - t0) / 1000 });
}

function runTypecheck() {
  const t0 = Date.now();
  const r = spawnSync('npx', ['tsc', '--noEmit', '-p', 'web/tsconfig.json'], { cwd: root, stdio: 'inherit' });
  summary.push({ layer: 'types (tsc --noEmit, strict)', passed: r.status === 0 ? 1 : 0, failed: r.status === 0 ? 0 : 1, seconds: (Date.now() - t0) / 1000 });
}

function runSlurm() {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['tests/slurm/run-slurm.mjs'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 });
  process.stdout.write(r.stdout ?? '');
  const label = 'slurm (array job, local cluster)';
  const skipped = /^slurm: skipped: (.*)$/m.exec(r.stdout ?? '');
  if (r.status === 77 && skipped) return summary.push({ layer: label, skipped: skipped[1], seconds: (Date.now() - t0) / 1000 });
  const m = /^slurm: (\d+) passed, (\d+) failed$/m.exec(r.stdout ?? '');
  const passed = m ? Number(m[1]) : 0;
  const failed = m ? Number(m[2]) : 1;
  summary.push({ layer: label, passed, failed: r.status === 0 ? failed : Math.max(failed, 1), seconds: (Date.now() - t0) / 1000 });
}

if (wanted.includes('types')) runTypecheck();
if (wanted.includes('cpp')) runCtest();
if (wanted.includes('wasm')) runVitest('wasm', 'wasm (Vitest, Node)');
if (wanted.includes('web')) runVitest('web', 'web units (Vitest)');
if (wanted.includes('e2e')) runVitest('e2e', 'e2e (Playwright + Chromium)');
if (wanted.includes('slurm')) runSlurm();

console.log('\nTest layers:');
for (const s of summary) {
  if (s.skipped) console.log(`  ${s.layer.padEnd(32)} skipped: ${s.skipped}`);
  else console.log(`  ${s.layer.padEnd(32)} ${String(s.passed).padStart(5)} passed ${String(s.failed).padStart(3)} failed  ${s.seconds.toFixed(1)} s`);
}
console.log(`  screenshots: tests/e2e/screenshots/`);
const passed = summary.reduce((a, s) => a + (s.passed ?? 0), 0);
const failed = summary.reduce((a, s) => a + (s.failed ?? 0), 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
