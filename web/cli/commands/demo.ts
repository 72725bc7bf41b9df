// `mmm-studio demo --out demo.csv [--regions N --weeks N --channels N --controls N --seed S]`
// Writes the built-in example business (the same generator as "Try with example data") and its
// truth (demo.truth.json next to it).
import { writeFileSync } from 'node:fs';
import { demoToCsv, demoTruthJson } from '../../src/export/demo-csv';
import { loadCliEngine } from '../engine';
import { CliUsageError, parseArgs, type CliIo } from '../io';

const USAGE = `Usage: mmm-studio demo --out demo.csv [--regions N] [--weeks N] [--channels N] [--controls N] [--seed S]

Writes a simulated regional business with known truth (default 50 regions × 104 weeks × 8 channels
× 3 controls) as CSV, and its truth (channel shares, ROI, adstock, saturation, causal edges) as
<out>.truth.json.`;

export async function demoCommand(argv: string[], io: CliIo): Promise<number> {
  const { options } = parseArgs(argv, ['help']);
  if (options.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  const out = options.get('out');
  if (!out) throw new CliUsageError(`--out is required.\n${USAGE}`);
  const int = (key: string) => {
    const v = options.get(key);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new CliUsageError(`--${key} must be a whole number (got '${v}')`);
    return n;
  };
  const engine = await loadCliEngine(1);
  const demo = engine.generateDemo({ regions: int('regions'), weeks: int('weeks'), channels: int('channels'), controls: int('controls'), seed: int('seed') });
  writeFileSync(out, demoToCsv(demo));
  const truthPath = out.replace(/\.csv$/i, '') + '.truth.json';
  writeFileSync(truthPath, demoTruthJson(demo));
  const p = demo.panel;
  io.stdout(`Wrote ${out} (${p.regions} regions × ${p.weeks} weeks × ${p.channels} channels × ${p.controls} controls) and ${truthPath}.`);
  return 0;
}
