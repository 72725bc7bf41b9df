// The native driver (tests/bench/bench_fit.cpp → mmm_bench): built when stale, run as a child process.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime } from '../../../web/scripts/newest-mtime.mjs';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
// MMM_BENCH_BIN runs another build of the driver (e.g. one of an older core, to compare); it is
// used as it is, never rebuilt.
export const BENCH_BIN = process.env.MMM_BENCH_BIN ?? join(root, 'build/native-release/tests/bench/mmm_bench');
const SOURCES = ['core', 'tests/bench/bench_fit.cpp', 'tests/bench/CMakeLists.txt', 'CMakeLists.txt'];
// Agents and scripts on a shared machine serialise builds on this lock (see the README).
const BUILD_LOCK = '/tmp/mmm-build.lock';

/** Builds mmm_bench (native-release preset) when it is missing or older than its sources. */
export function ensureDriverBuilt(log) {
  if (process.env.MMM_BENCH_BIN) {
    if (!existsSync(BENCH_BIN)) throw new Error(`MMM_BENCH_BIN is ${BENCH_BIN}, which does not exist`);
    return;
  }
  if (existsSync(BENCH_BIN) && statSync(BENCH_BIN).mtimeMs >= newestMtime(root, SOURCES)) return;
  log('building mmm_bench (cmake --preset native-release, target mmm_bench)');
  const configure = existsSync(join(root, 'build/native-release/CMakeCache.txt')) ? '' : 'cmake --preset native-release && ';
  const script = `${configure}cmake --build --preset native-release -j2 --target mmm_bench`;
  const hasFlock = spawnSync('sh', ['-c', 'command -v flock'], { stdio: 'ignore' }).status === 0;
  const r = hasFlock
    ? spawnSync('flock', [BUILD_LOCK, 'sh', '-c', script], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
    : spawnSync('sh', ['-c', script], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`building mmm_bench failed (exit ${r.status ?? r.signal}); run '${script}' to see why`);
}

// The binary runDriver runs: BENCH_BIN unless a script pinned a copy (useDriverBinary).
let driverBinary = BENCH_BIN;

/** Runs `path` (e.g. a snapshot of BENCH_BIN taken under the build lock, so that a rebuild during a
 * long run cannot mix two builds) for every later runDriver call in this process. */
export function useDriverBinary(path) {
  driverBinary = path;
}

/** mmm_bench's JSON output; the C++ driver prints nan for undefined figures, JSON has null. */
export const parseDriverJson = (stdout) => JSON.parse(stdout.replace(/\b-?nan\b/gi, 'null'));

/** Runs mmm_bench with the arguments; resolves to its JSON output. */
export function runDriver(args) {
  return new Promise((resolve, reject) => {
    execFile(driverBinary, args, { encoding: 'utf8', maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      if (err) {
        const why = stderr.trim().split('\n').filter(Boolean).pop() ?? err.message;
        reject(new Error(why));
        return;
      }
      try {
        resolve(parseDriverJson(stdout));
      } catch (e) {
        reject(new Error(`mmm_bench printed output that is not JSON (${e.message}): ${stdout.slice(0, 200)}`));
      }
    });
  });
}
