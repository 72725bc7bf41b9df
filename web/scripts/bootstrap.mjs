// Idempotent setup run first by `npm start`, `npm test` and `npm run build`/`bench`:
// 1. system tools (Emscripten, Eigen, CMake, a C++ compiler, GoogleTest, Chromium for tests),
//    installed with apt-get when we are root on Debian/Ubuntu, otherwise one line saying what to do;
// 2. npm packages (installed when node_modules is missing or older than the lock file);
// 3. builds whatever is stale: wasm-st, wasm-mt, the native tests, the web app, the embed
//    (<mmm-studio>, dist-embed/) and the CLI.
// Usage: node web/scripts/bootstrap.mjs --for start|test|build|bench
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime } from './newest-mtime.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const purpose = process.argv.includes('--for') ? process.argv[process.argv.indexOf('--for') + 1] : 'build';
const needTests = purpose === 'test';
const needNativeRelease = purpose === 'bench';
const t0 = Date.now();
const log = (msg) => console.log(`[bootstrap] ${msg}`);
const fail = (msg) => {
  console.error(`[bootstrap] ${msg}`);
  process.exit(1);
};

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: buildEnv(), ...opts });
  if (r.status !== 0) fail(`'${cmd} ${args.join(' ')}' failed (exit ${r.status ?? r.signal}); see the output above.`);
};

// ---- 1. system tools ----------------------------------------------------------------------

const checks = [
  { what: 'Emscripten (em++)', ok: () => has('em++'), apt: ['emscripten'], other: 'install emsdk (https://emscripten.org/docs/getting_started/downloads.html) and `source emsdk_env.sh`' },
  { what: 'Eigen 3.4 headers', ok: () => existsSync('/usr/include/eigen3/Eigen/Core') || !!process.env.Eigen3_DIR, apt: ['libeigen3-dev'], other: 'brew install eigen (macOS) or your distribution\'s eigen3 package' },
  { what: 'CMake', ok: () => has('cmake'), apt: ['cmake'], other: 'brew install cmake' },
  { what: 'a C++17 compiler', ok: () => has('c++') || has('g++') || has('clang++'), apt: ['g++'], other: 'install Xcode command line tools or g++', only: needTests || needNativeRelease },
  { what: 'GoogleTest', ok: () => existsSync('/usr/include/gtest/gtest.h') || existsSync('/usr/local/include/gtest/gtest.h') || existsSync('/opt/homebrew/include/gtest/gtest.h'), apt: ['googletest', 'libgtest-dev'], other: 'brew install googletest', only: needTests },
  { what: 'Chromium (for the browser tests)', ok: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'), apt: ['chromium'], other: 'install Chromium and set CHROMIUM_PATH to its binary', only: needTests },
];
const missing = checks.filter((c) => c.only !== false && !c.ok());
if (missing.length) {
  const isRoot = process.getuid?.() === 0;
  if (isRoot && has('apt-get')) {
    const pkgs = [...new Set(missing.flatMap((c) => c.apt))];
    log(`installing ${pkgs.join(' ')} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], { env });
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { env });
    const still = missing.filter((c) => !c.ok());
    if (still.length) fail(`still missing after apt-get: ${still.map((c) => c.what).join(', ')}`);
  } else {
    fail(`missing ${missing.map((c) => c.what).join(', ')}: ${missing.map((c) => (has('apt-get') ? `sudo apt-get install ${c.apt.join(' ')}` : c.other)).join('; ')}`);
  }
}

function emscriptenToolchain() {
  if (process.env.EMSCRIPTEN_CMAKE_TOOLCHAIN) return process.env.EMSCRIPTEN_CMAKE_TOOLCHAIN;
  let emRoot = '/usr/share/emscripten';
  try {
    emRoot = execFileSync('em-config', ['EMSCRIPTEN_ROOT'], { encoding: 'utf8', env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } }).trim();
  } catch { /* Debian's default location */ }
  return join(emRoot, 'cmake/Modules/Platform/Emscripten.cmake');
}

function buildEnv() {
  return {
    ...process.env,
    // Debian's emcc runs its JS optimizer with Debian's acorn from /usr/share/nodejs.
    NODE_PATH: [process.env.NODE_PATH, '/usr/share/nodejs'].filter(Boolean).join(':'),
    EMSCRIPTEN_CMAKE_TOOLCHAIN: emscriptenToolchain(),
  };
}

// ---- 2. npm packages ------------------------------------------------------------------------

const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules/.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  // `npm install` rather than `npm ci`: npm 11 writes lock files without the other platforms'
  // optional packages (rollup/esbuild binaries), which `npm ci` then rejects as out of sync.
  // With a lock file present, install still installs exactly the locked versions.
  log('installing npm packages (npm install from package-lock.json)');
  run('npm', ['install', '--no-audit', '--no-fund']);
}

// ---- 3. builds --------------------------------------------------------------------------------

function cmakePreset(preset, { test = false } = {}) {
  const dir = join(root, 'build', preset);
  if (!existsSync(join(dir, 'CMakeCache.txt'))) run('cmake', ['--preset', preset], { stdio: ['ignore', 'ignore', 'inherit'] });
  run('cmake', ['--build', '--preset', preset, '-j2'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (test) log(`${preset} built`);
}

const newest = (paths) => newestMtime(root, paths);

log('building the wasm core (wasm-st, wasm-mt)');
cmakePreset('wasm-st');
cmakePreset('wasm-mt');
if (needTests) {
  log('building the native core tests (native-debug)');
  cmakePreset('native-debug');
}
if (needNativeRelease) {
  log('building the native benchmark (native-release)');
  cmakePreset('native-release');
}

// ONNX Runtime Web's wasm is served from public/ort (copied, never committed).
const ortSrc = join(root, 'node_modules/onnxruntime-web/dist');
const ortDst = join(root, 'public/ort');
for (const f of ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']) {
  if (existsSync(join(ortSrc, f)) && (!existsSync(join(ortDst, f)) || statSync(join(ortDst, f)).mtimeMs < statSync(join(ortSrc, f)).mtimeMs)) {
    mkdirSync(ortDst, { recursive: true });
    copyFileSync(join(ortSrc, f), join(ortDst, f));
  }
}

const webInputs = ['web/src', 'web/index.html', 'web/vite.config.ts', 'web/scripts/headers.mjs', 'web/scripts/sw-plugin.mjs', 'web/scripts/sw-template.js', 'public', 'package-lock.json'];
const distIndex = join(root, 'dist/index.html');
if (!existsSync(distIndex) || statSync(distIndex).mtimeMs < newest(webInputs)) {
  log('building the web app (vite build)');
  run('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']);
} else log('web app is up to date');

// The <mmm-studio> custom element (dist-embed/), used by portals and by the embed browser tests.
const embedInputs = [...webInputs.filter((p) => p !== 'web/index.html' && p !== 'web/vite.config.ts'), 'web/vite.embed.config.ts'];
const embedOut = join(root, 'dist-embed/mmm-studio.js');
if (!existsSync(embedOut) || statSync(embedOut).mtimeMs < newest(embedInputs)) {
  log('building the embed (vite build --config web/vite.embed.config.ts)');
  run('npx', ['vite', 'build', '--config', 'web/vite.embed.config.ts', '--logLevel', 'warn']);
} else log('embed is up to date');

const cliOut = join(root, 'build/cli/mmm-studio.mjs');
if (existsSync(join(root, 'web/cli/main.ts')) && (!existsSync(cliOut) || statSync(cliOut).mtimeMs < newest(['web/cli', 'web/src']))) {
  log('building the CLI');
  run('node', ['web/scripts/build-cli.mjs']);
}

mkdirSync(dirname(cliOut), { recursive: true });
log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
