// The bench's ensemble row (run-bench.mjs): the cost of uncertainty intervals (issue 13) — the main
// fit and its analysis, then K - 1 more fits with their analyses (web/src/engine/ensemble.ts), on
// the reference panel, single-thread (core-st) and with the thread pool (core-mt).
// Standalone: node tests/bench/ensemble-row.mjs [K]
import { fileURLToPath } from 'node:url';

/** One ensemble of size k on a fresh session of the panel; seconds of the main fit and of the rest. */
async function timeEnsemble(cli, variant, threads, panel, k, log) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const engine = await cli.loadEngineInNode(variant, `${root}public/wasm/`);
  const demo = engine.generateDemo(panel);
  const session = engine.createSession(demo.panel);
  const options = { threads };
  const t0 = performance.now();
  const core = await cli.runFit(engine, session.id, options);
  const main = cli.withAnalysis(engine, session.id, cli.toModelResults(core, { variant, threads }));
  const mainSeconds = (performance.now() - t0) / 1000;
  const intervals = await cli.runEnsemble(engine, demo.panel, main, options, { k });
  engine.disposeSession(session.id);
  const row = { variant, threads, k, mainFitAndAnalysisSeconds: mainSeconds, mainEpochs: core.epochs, extraMembersSeconds: intervals.seconds,
    totalSeconds: mainSeconds + intervals.seconds, overSingleFit: (mainSeconds + intervals.seconds) / mainSeconds, widen: intervals.widen };
  log(`ensemble K=${k} ${variant} ${threads} thread(s): main fit + analysis ${mainSeconds.toFixed(1)} s, ${k - 1} more members ${intervals.seconds.toFixed(1)} s (${row.overSingleFit.toFixed(1)}× a single fit)`);
  return row;
}

export async function measureEnsemble(cli, panel, k, { log = console.error } = {}) {
  return [await timeEnsemble(cli, 'core-st', 1, panel, k, log), await timeEnsemble(cli, 'core-mt', 2, panel, k, log)];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cli = await import(new URL('../../build/cli/mmm-studio.mjs', import.meta.url).href);
  const k = Number(process.argv[2] ?? cli.DEFAULT_ENSEMBLE_SIZE);
  console.log(JSON.stringify(await measureEnsemble(cli, { regions: 190, weeks: 109, channels: 13, controls: 7, seed: 42 }, k), null, 2));
  process.exit(0);
}
