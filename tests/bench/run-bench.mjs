// `npm run bench`: speed and memory of the model on a panel the size of the reference dataset
// (190 regions × 109 weeks × 13 channels × 7 controls, from the demo generator), measured in one
// run for the wasm core (single thread, in Node) and the native build of the same core; then a
// scale row (fit and analysis cost, memory) at that size and at 2,000 regions × 156 weeks × 30
// channels × 5 controls. Writes bench-results/bench.json (and prints it). Compare ratios from one
// run: the host is noisy.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { measureScale, secondsPerEpoch } from './scale-row.mjs';
import { measureEnsemble } from './ensemble-row.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PANEL = { regions: 190, weeks: 109, channels: 13, controls: 7, seed: 42 };
const EPOCHS_TIMED = Number(process.env.MMM_BENCH_EPOCHS ?? 5);
// The scale row: the issue's big panel next to the reference size. A default fit of the big panel
// takes minutes, so the row times epochs (per-epoch cost) unless MMM_BENCH_SCALE_FULL_FIT=1.
const SCALE_PANELS = [PANEL, { regions: 2000, weeks: 156, channels: 30, controls: 5, seed: 42 }];
const SCALE_FULL_FIT = process.env.MMM_BENCH_SCALE_FULL_FIT === '1';

// The CLI bundle carries the engine loader and fit runner compiled for Node.
const cli = await import(new URL('../../build/cli/mmm-studio.mjs', import.meta.url).href);
const { loadEngineInNode, runFit } = cli;
const wasmSecondsPerEpoch = (engine, sessionId, options) => secondsPerEpoch(engine, sessionId, options, EPOCHS_TIMED);

function native(args) {
  const bin = `${root}build/native-release/tests/bench/mmm_bench`;
  // The C++ driver prints nan for undefined figures; JSON has null for that.
  return JSON.parse(execFileSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 26 }).replace(/\b-?nan\b/gi, 'null'));
}

const engine = await loadEngineInNode('core-st', `${root}public/wasm/`);
const demo = engine.generateDemo(PANEL);
const session = engine.createSession(demo.panel);
const result = { date: new Date().toISOString(), panel: PANEL, epochsTimed: EPOCHS_TIMED, wasm: { variant: 'core-st', threads: 1 }, native: {} };

for (const hidden of [64, 280]) {
  const w = await wasmSecondsPerEpoch(engine, session.id, { hidden });
  const n = native(['epoch', `hidden=${hidden}`]);
  result.wasm[`secondsPerEpochHidden${hidden}`] = w;
  result.native[`secondsPerEpochHidden${hidden}`] = n.seconds_per_epoch?.[`hidden_${hidden}`] ?? null;
  console.error(`hidden ${hidden}: wasm ${w.toFixed(3)} s/epoch, native ${JSON.stringify(result.native[`secondsPerEpochHidden${hidden}`])}`);
}

const t0 = performance.now();
const fit = await runFit(engine, session.id, {});
result.wasm.defaultFit = {
  seconds: (performance.now() - t0) / 1000,
  epochs: fit.epochs,
  config: fit.config,
  holdout: fit.metrics.holdout,
  train: fit.metrics.train,
  peakHeapBytes: engine.heapStats().heapBytes,
};
console.error(`default fit (wasm): ${result.wasm.defaultFit.seconds.toFixed(1)} s, ${fit.epochs} epochs, holdout R² ${fit.metrics.holdout.r2?.toFixed(4)}`);
const nativeFit = native(['fit']).default_fit;
result.native.defaultFit = { seconds: nativeFit.seconds, epochs: nativeFit.epochs_run, hidden: nativeFit.hidden, holdout: nativeFit.holdout, train: nativeFit.train };
engine.disposeSession(session.id);

result.scale = await measureScale(engine, runFit, SCALE_PANELS, { epochsTimed: EPOCHS_TIMED, fullFit: SCALE_FULL_FIT });
// The ensemble row: uncertainty intervals of the default size on the reference panel, st and mt.
result.ensemble = await measureEnsemble(cli, PANEL, cli.DEFAULT_ENSEMBLE_SIZE);

const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? a / b : null);
result.ratios = {
  wasmOverNativeHidden64: ratio(result.wasm.secondsPerEpochHidden64, result.native.secondsPerEpochHidden64),
  wasmOverNativeHidden280: ratio(result.wasm.secondsPerEpochHidden280, result.native.secondsPerEpochHidden280),
  // The reference PyTorch implementation takes about 1 s per epoch at hidden 280 on this machine kind.
  referenceSpeedupHidden280: ratio(1.0, result.wasm.secondsPerEpochHidden280),
};
mkdirSync(`${root}bench-results`, { recursive: true });
const text = JSON.stringify(result, null, 2);
writeFileSync(`${root}bench-results/bench.json`, text + '\n');
console.log(text);
process.exit(0);
