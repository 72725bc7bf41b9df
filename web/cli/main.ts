// mmm-studio command line: the same schema inference and wasm core as the app.
// Conventions every command follows: strict options (an unknown one is an error naming the
// nearest valid one), -h/--help, '-' for standard input, results on stdout, progress and errors
// on stderr, exit 0 = done, 1 = the data or model cannot be used, 2 = a usage or input mistake.
import { APP_VERSION } from '../src/version';
import { nearestOption, parseCommandArgs } from './args';
import { BATCH, batchCommand } from './commands/batch';
import { DEMO, demoCommand } from './commands/demo';
import { EXPORT, exportCommand } from './commands/export';
import { FIT, fitCommand } from './commands/fit';
import { INSPECT, inspectCommand } from './commands/inspect';
import { OPTIMIZE, optimizeCommand } from './commands/optimize';
import { PREDICT, predictCommand } from './commands/predict';
import { loadCliEngine } from './engine';
import { CliUsageError, processIo, type CliIo } from './io';

const USAGE = `Usage: mmm-studio <command> [options]

Commands:
  inspect <file.csv | ->          detected schema and validation report (exit 1 on blocking errors)
  fit <file.csv | -> [options]    train the model and report train/holdout accuracy (--out DIR:
                                  summary, contributions, ROI, response curves, budget, model.mmm)
  predict <model.mmm> <file.csv | ->
                                  run a saved model on a CSV (predictions; metrics with the KPI)
  optimize <model.mmm> [options]  best allocation of a budget over the channels
                                  (or --data file.csv to fit first)
  export <model.mmm> --out model.onnx
                                  write the fitted model as an ONNX graph
  batch MANIFEST.csv --out DIR    many fits as an array job (--task N, --collect, --local)
  demo --out demo.csv             write the example business (with known truth) as CSV
  info                            show the engine builds (Eigen, SIMD, threads)

Options:
  -h, --help      this help; 'mmm-studio <command> --help' (or 'mmm-studio help <command>')
                  for a command's options
  -V, --version   print the version

'-' as a file name reads standard input. Results go to stdout; progress and errors to stderr.
Exit codes: 0 done, 1 the data or model cannot be used, 2 a mistake on the command line or an
unreadable file.`;

type Command = (argv: string[], io: CliIo) => Promise<number>;

const INFO = {
  name: 'info',
  options: {},
  positionals: { min: 0, max: 0, what: 'no arguments' },
  usage: `Usage: mmm-studio info

Prints the engine builds as JSON: the single-thread core (core-st) and the threaded one (core-mt),
with their Eigen version, compiler, SIMD and the most threads the threaded one can use.
  -h, --help      this help`,
};

async function infoCommand(argv: string[], io: CliIo): Promise<number> {
  if (!parseCommandArgs(argv, INFO, io)) return 0;
  const st = (await loadCliEngine(1)).buildInfo();
  // The threaded build is optional for everything but --threads > 1: say why it is missing.
  const mt = await loadCliEngine(2).then(
    (e) => e.buildInfo(),
    (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
  );
  io.stdout(JSON.stringify({ 'core-st': st, 'core-mt': mt }, null, 2));
  return 0;
}

const commands: Record<string, Command> = {
  inspect: inspectCommand,
  fit: fitCommand,
  predict: predictCommand,
  optimize: optimizeCommand,
  export: exportCommand,
  batch: batchCommand,
  demo: demoCommand,
  info: infoCommand,
};

/** The declared options and usage of every command (all parsed by args.ts). */
export const COMMAND_SPECS = { inspect: INSPECT, fit: FIT, predict: PREDICT, optimize: OPTIMIZE, export: EXPORT, batch: BATCH, demo: DEMO, info: INFO } as const;

/** Runs one command line; returns the exit code (bin.mjs sets it; nothing calls process.exit, so
 * the process ends only when nothing is left running: a hang is a bug, not hidden). */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '-h' || name === '--help') {
    io.stdout(USAGE);
    return 0;
  }
  if (name === '-V' || name === '--version') {
    io.stdout(`mmm-studio ${APP_VERSION}`);
    return 0;
  }
  if (name === 'help' && (!rest[0] || commands[rest[0]])) return rest[0] ? commands[rest[0]](['--help'], io) : (io.stdout(USAGE), 0);
  const asked = name === 'help' ? rest[0] : name;
  if (!asked || !commands[asked]) {
    const option = !!asked?.startsWith('-');
    const near = asked ? nearestOption(asked, option ? ['help', 'version'] : Object.keys(commands)) : undefined;
    const what = !asked ? 'no command given' : option ? `unknown option '${asked}'` : `unknown command '${asked}'`;
    io.stderr(`mmm-studio: ${what}${near ? `; did you mean '${option ? '--' : ''}${near}'?` : ''}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await commands[name](rest, io);
  } catch (err) {
    if (err instanceof CliUsageError) {
      io.stderr(`mmm-studio ${name}: ${err.message}${err.usage ? `\n\n${err.usage}` : ''}`);
      return 2;
    }
    io.stderr(`mmm-studio ${name}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

// For `npm run bench` (tests/bench/run-bench.mjs): the engine loader and fit runner, bundled.
export { loadEngineInNode } from '../src/engine/node-core';
export { runFit, toModelResults, withAnalysis } from '../src/engine/fit-runner';
export { DEFAULT_ENSEMBLE_SIZE, intervalOf, nonNegativeInterval, runEnsemble, summarizeEnsemble } from '../src/engine/ensemble';
