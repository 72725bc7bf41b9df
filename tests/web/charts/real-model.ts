// A real fitted model for the chart tests: the example data trained by the wasm core (core-st),
// through the same fit runner as the app.
import { fileURLToPath } from 'node:url';
import { runFit, toModelResults, truthSummary } from '../../../web/src/engine/fit-runner';
import { loadEngineInNode } from '../../../web/src/engine/node-core';
import type { ModelResults } from '../../../web/src/engine/results';

const wasmDir = fileURLToPath(new URL('../../../public/wasm/', import.meta.url));

export async function fitDemoModel(): Promise<ModelResults> {
  const engine = await loadEngineInNode('core-st', wasmDir);
  const demo = engine.generateDemo({ regions: 10, weeks: 80, channels: 5, seed: 2 });
  const session = engine.createSession(demo.panel);
  const core = await runFit(engine, session.id, { epochs: 60, hidden: 16, seed: 5 });
  engine.disposeSession(session.id);
  const results = toModelResults(core, { variant: 'core-st', threads: 1 });
  results.truth = truthSummary(demo.truth);
  return results;
}
