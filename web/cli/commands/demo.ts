// `mmm-studio demo --out demo.csv [--regions N --weeks N --channels N --controls N --seed S]`
// Writes the built-in example business (the same generator as "Try with example data") and its
// truth (demo.truth.json next to it).
import { demoToCsv, demoTruthJson } from '../../src/export/demo-csv';
import { exampleExperimentsCsv } from '../../src/calibration/example-experiment';
import { parseCommandArgs, type CommandSpec } from '../args';
import { loadCliEngine } from '../engine';
import { CliUsageError, writeOutput, type CliIo } from '../io';

export const DEMO = {
  name: 'demo',
  options: {
    out: { type: 'string' },
    regions: { type: 'string' },
    weeks: { type: 'string' },
    channels: { type: 'string' },
    controls: { type: 'string' },
    seed: { type: 'string' },
  },
  positionals: { min: 0, max: 0, what: 'no file name without --out (use --out demo.csv)' },
  usage: `Usage: mmm-studio demo --out demo.csv [--regions N] [--weeks N] [--channels N] [--controls N] [--seed S]

Writes a simulated regional business with known truth (default 50 regions × 104 weeks × 8 channels
× 3 controls) as CSV, and its truth (channel shares, ROI, adstock, saturation, causal edges) as
<out>.truth.json, and an example lift test on Search (8 weeks, half of the regions, from the
truth, 10 % standard error) as <out>.experiments.csv, for \`fit --experiments\`.
  --out FILE      the CSV to write (required)
  --regions N     regions (1-2000)
  --weeks N       weeks (2-260)
  --channels N    media channels (1-50)
  --controls N    control variables (0-10)
  --seed S        random seed (the same seed gives the same data)
  -h, --help      this help`,
} as const satisfies CommandSpec<Record<string, { type: 'string' }>>;

export async function demoCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, DEMO, io);
  if (!args) return 0;
  const out = args.string('out');
  if (!out) throw new CliUsageError('--out FILE is required (where to write the CSV)', DEMO.usage);
  // The ranges of the core's DemoConfig::validate, checked here too so a mistake is a usage error.
  const options = {
    regions: args.int('regions', 1, 2000),
    weeks: args.int('weeks', 2, 260),
    channels: args.int('channels', 1, 50),
    controls: args.int('controls', 0, 10),
    seed: args.int('seed', 0, 2 ** 31),
  };
  const engine = await loadCliEngine(1);
  const demo = engine.generateDemo(options);
  writeOutput(out, demoToCsv(demo));
  const truthPath = out.replace(/\.csv$/i, '') + '.truth.json';
  writeOutput(truthPath, demoTruthJson(demo));
  const experiments = exampleExperimentsCsv(demo);
  const experimentsPath = out.replace(/\.csv$/i, '') + '.experiments.csv';
  if (experiments) writeOutput(experimentsPath, experiments);
  const p = demo.panel;
  io.stdout(`Wrote ${out} (${p.regions} regions × ${p.weeks} weeks × ${p.channels} channels × ${p.controls} controls), ${truthPath}${experiments ? ` and ${experimentsPath}` : ''}.`);
  return 0;
}
