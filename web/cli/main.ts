// mmm-studio command line: the same schema inference and wasm core as the app.
import { CliUsageError, processIo, type CliIo } from './io';
import { loadCliEngine } from './engine';
import { demoCommand } from './commands/demo';
import { fitCommand } from './commands/fit';
import { predictCommand } from './commands/predict';
import { optimizeCommand } from './commands/optimize';
import { inspectCommand } from './commands/inspect';
import { exportCommand } from './commands/export';

const USAGE = `Usage: mmm-studio <command> [options]

Commands:
  inspect <file.csv> [--json]   detected schema and validation report (exit 1 on blocking errors)
  fit <file.csv> [--json] [...] train the model and report train/holdout accuracy
  predict <model.mmm> <file.csv> [--json]
                                run a saved model on a CSV (prints predictions; metrics with the KPI)
  optimize <model.mmm> [--budget B] [--weeks N] [--bounds FILE] [--json]
                                best allocation of a budget over the channels (or --data file.csv)
  export <model.mmm> --onnx out.onnx [--verify] [--json]
                                write the fitted model as an ONNX graph; prints its inputs and outputs
  demo --out demo.csv [...]     write the example business (with known truth) as CSV
  info                          show the engine build (Eigen, SIMD, threads)

Run 'mmm-studio <command> --help' for a command's options.`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

const commands: Record<string, Command> = {
  inspect: inspectCommand,
  demo: demoCommand,
  fit: fitCommand,
  predict: predictCommand,
  optimize: optimizeCommand,
  export: exportCommand,
  async info(_argv, io) {
    const st = (await loadCliEngine(1)).buildInfo();
    io.stdout(JSON.stringify({ 'core-st': st }, null, 2));
    return 0;
  },
};

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE);
    return name ? 0 : 2;
  }
  const cmd = commands[name];
  if (!cmd) {
    io.stderr(`mmm-studio: unknown command '${name}'.\n${USAGE}`);
    return 2;
  }
  try {
    return await cmd(rest, io);
  } catch (err) {
    if (err instanceof CliUsageError) {
      io.stderr(`mmm-studio ${name}: ${err.message}`);
      return 2;
    }
    io.stderr(`mmm-studio ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

// For `npm run bench` (tests/bench/run-bench.mjs): the engine loader and fit runner, bundled.
export { loadEngineInNode } from '../src/engine/node-core';
export { runFit } from '../src/engine/fit-runner';
