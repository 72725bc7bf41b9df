// The bench's scale row (run-bench.mjs): how fit and analysis cost and memory grow with the panel.
// Per panel size: the default model's seconds per main epoch (and per million region-weeks), a fit
// (default when fullFit, else 2 epochs: the analysis' cost does not depend on the weights), the
// whole default analysis (economics + response curves: every scenario simulation), the wasm heap
// (it never shrinks, so it is the peak) and the process' peak RSS so far.
// Standalone: node tests/bench/scale-row.mjs '[{"regions":190,"weeks":109,"channels":13,"controls":7}]'
import { fileURLToPath } from 'node:url';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time of `epochs` main epochs (the first, with one-time set-up, is not counted). */
export async function secondsPerEpoch(engine, sessionId, options, epochs) {
  engine.startFit(sessionId, { ...options, epochs: epochs + 1, warmStartEpochs: 0, holdoutWeeks: 13 });
  const times = [];
  for (let i = 0; i <= epochs; i++) {
    const t0 = performance.now();
    const step = engine.fitStep(sessionId, 1, 0);
    const dt = (performance.now() - t0) / 1000;
    if (i > 0) times.push(dt);
    if (step.done) break;
  }
  engine.cancelFit(sessionId);
  return median(times);
}

export async function measureScale(engine, runFit, panels, { epochsTimed, fullFit, log = console.error }) {
  const rows = [];
  for (const panel of panels) {
    const data = engine.generateDemo(panel);
    const s = engine.createSession(data.panel);
    const cells = panel.regions * panel.weeks;
    const perEpoch = await secondsPerEpoch(engine, s.id, {}, epochsTimed);
    const t1 = performance.now();
    const fit = await runFit(engine, s.id, fullFit ? {} : { epochs: 2, warmStartEpochs: 1 });
    const fitSeconds = (performance.now() - t1) / 1000;
    const t2 = performance.now();
    const analysis = engine.analyze(s.id, {});
    const analysisSeconds = (performance.now() - t2) / 1000;
    const row = {
      panel,
      regionWeeks: cells,
      secondsPerEpoch: perEpoch,
      secondsPerEpochPerMillionRegionWeeks: (1e6 * perEpoch) / cells,
      fit: { seconds: fitSeconds, epochs: fit.epochs, full: fullFit },
      fitSecondsPerMillionRegionWeeks: fullFit ? (1e6 * fitSeconds) / cells : null,
      analysisSeconds,
      simulations: analysis.simulations,
      // The analysis in units of main epochs (a default fit runs a few hundred of them).
      analysisEpochs: analysisSeconds / perEpoch,
      analysisOverFit: fullFit ? analysisSeconds / fitSeconds : null,
      wasmHeapBytes: engine.heapStats().heapBytes,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
    rows.push(row);
    log(`scale ${panel.regions}×${panel.weeks}×${panel.channels}×${panel.controls}: ${perEpoch.toFixed(3)} s/epoch, fit ${fitSeconds.toFixed(1)} s (${fit.epochs} epochs${fullFit ? '' : ', short'}), `
      + `analysis ${analysisSeconds.toFixed(1)} s (${analysis.simulations} simulations, ${row.analysisEpochs.toFixed(0)} epochs' worth), `
      + `wasm heap ${(row.wasmHeapBytes / 2 ** 20).toFixed(0)} MiB, peak RSS ${(row.peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
    engine.disposeSession(s.id);
  }
  const first = rows[0], last = rows[rows.length - 1];
  return {
    epochsTimed,
    fullFit,
    note: fullFit ? 'default fits' : 'fit: 2 epochs only (set MMM_BENCH_SCALE_FULL_FIT=1 for default fits); compare per-epoch cost',
    rows,
    // Cost per region-week, largest panel / first panel (near-linear growth: close to 1).
    growth: {
      epochPerRegionWeek: last.secondsPerEpochPerMillionRegionWeeks / first.secondsPerEpochPerMillionRegionWeeks,
      fitPerRegionWeek: fullFit ? last.fitSecondsPerMillionRegionWeeks / first.fitSecondsPerMillionRegionWeeks : null,
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const { loadEngineInNode, runFit } = await import(`${root}build/cli/mmm-studio.mjs`);
  const engine = await loadEngineInNode('core-st', `${root}public/wasm/`);
  const panels = JSON.parse(process.argv[2] ?? '[{"regions":190,"weeks":109,"channels":13,"controls":7,"seed":42}]');
  const out = await measureScale(engine, runFit, panels, { epochsTimed: Number(process.env.MMM_BENCH_EPOCHS ?? 5), fullFit: process.env.MMM_BENCH_SCALE_FULL_FIT === '1' });
  console.log(JSON.stringify(out, null, 2));
  process.exit(0);
}
