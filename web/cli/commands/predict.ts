// `mmm-studio predict <model.mmm> <file.csv | -> [--json]`: runs a saved model on a CSV with the
// same regions, channels and controls, starting at the model's first week (it may run on past
// the training period). With the KPI in the file, reports the same metrics as `fit`.
import { applyMapping, buildPanel, inferSchema, parseCsvBytes, type PanelData } from '../../src/ingest/index';
import { numericColumn } from '../../src/ingest/table';
import { writeCsv } from '../../src/export/csv';
import { parseCommandArgs, type CommandSpec } from '../args';
import { loadBundleForCli } from '../bundle';
import { CliUsageError, inputName, readInput, type CliIo } from '../io';

export const PREDICT = {
  name: 'predict',
  options: { json: { type: 'boolean' } },
  positionals: { min: 2, max: 2, what: "a model bundle and a CSV file ('-' reads the CSV from standard input)" },
  usage: `Usage: mmm-studio predict <model.mmm> <file.csv | -> [--json]

Runs the saved model on the CSV ('-': standard input; same regions, channels and controls as the
model; weeks from the model's first week on). Prints one row per region and week
(region,week,prediction[,actual]) as CSV.
  --json          print an object with "predictions" and, when the KPI is in the file, "metrics"
  -h, --help      this help`,
} as const satisfies CommandSpec<Record<string, { type: 'boolean' }>>;

/** Index of each of `want` in `have`, or a usage error naming what is missing. */
function align(kind: string, want: string[], have: string[]): number[] {
  const missing = want.filter((w) => !have.includes(w));
  if (missing.length) throw new CliUsageError(`the file lacks ${kind} the model was fitted on: ${missing.join(', ')}`);
  const extra = have.filter((h) => !want.includes(h));
  if (extra.length) throw new CliUsageError(`the file has ${kind} the model does not know: ${extra.join(', ')}`);
  return want.map((w) => have.indexOf(w));
}

export async function predictCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, PREDICT, io);
  if (!args) return 0;
  const [bundlePath, csvPath] = args.positional;
  if (bundlePath === '-' && csvPath === '-') throw new CliUsageError("only one of the two files can be '-' (standard input)", PREDICT.usage);
  const { engine, sessionId, core, meta } = await loadBundleForCli(bundlePath, io);
  const csvBytes = await readInput(csvPath, io);
  const table = parseCsvBytes(csvBytes);
  const mapping = meta.mapping ? applyMapping(meta.mapping, table).mapping : inferSchema(table).mapping;
  const hasKpi = !!mapping.kpi && table.columns.includes(mapping.kpi);
  if (!hasKpi) {
    // Future weeks: no KPI yet. A placeholder column lets the panel be built; no metrics are reported.
    mapping.kpi = mapping.kpi || '__kpi__';
    table.columns.push(mapping.kpi);
    table.data.push(numericColumn(mapping.kpi, new Float64Array(table.rowCount)));
  }
  let panel: PanelData;
  try {
    panel = buildPanel(table, mapping);
  } catch (err) {
    throw new CliUsageError(`${inputName(csvPath)} cannot be used: ${err instanceof Error ? err.message : String(err)}`);
  }
  const { regions: R, channels: C, controls: K } = core.shape;
  const rIdx = align('regions', core.regionNames, panel.regionNames);
  const cIdx = align('channels', core.channelNames, panel.channelNames);
  const kIdx = align('controls', core.controlNames, panel.controlNames);
  if (meta.dates[0] && panel.dates[0] !== meta.dates[0]) {
    throw new CliUsageError(`the file starts at week ${panel.dates[0]}, but the model's first week is ${meta.dates[0]}: include the weeks from ${meta.dates[0]} on`);
  }
  const W = panel.weeks;
  const media = new Float32Array(R * W * C);
  const controlValues = new Float32Array(R * W * K);
  const kpi = new Float32Array(R * W);
  for (let r = 0; r < R; r++) {
    for (let t = 0; t < W; t++) {
      const src = rIdx[r] * W + t;
      const dst = r * W + t;
      for (let c = 0; c < C; c++) media[dst * C + c] = panel.media[src * panel.channels + cIdx[c]];
      for (let k = 0; k < K; k++) controlValues[dst * K + k] = panel.controlValues[src * panel.controls + kIdx[k]];
      kpi[dst] = panel.kpi[src];
    }
  }
  const p = engine.predictInputs(sessionId, { media, controlValues, ...(hasKpi ? { kpi } : {}) });
  engine.disposeSession(sessionId);
  const rows = [];
  for (let r = 0; r < R; r++) {
    for (let t = 0; t < W; t++) {
      const i = r * W + t;
      rows.push({ region: core.regionNames[r], week: panel.dates[t], prediction: p.prediction[i], ...(hasKpi ? { actual: kpi[i] } : {}) });
    }
  }
  if (args.flag('json')) {
    io.stdout(JSON.stringify({ model: { dataName: meta.dataName, createdAt: meta.createdAt, fingerprint: meta.fingerprint }, regions: R, weeks: W, predictions: rows, ...(p.metrics ? { metrics: p.metrics } : {}) }));
  } else {
    // No BOM on stdout: it would end up in the first column's name in whatever reads the pipe.
    io.stdout(writeCsv(['region', 'week', 'prediction', ...(hasKpi ? ['actual'] : [])], rows.map((x) => Object.values(x)), { bom: false }));
    const h = p.metrics?.holdout ?? p.metrics?.train;
    io.stderr(`Predicted ${R} regions × ${W} weeks${h?.r2 != null ? `; R² ${h.r2.toFixed(3)} on the ${p.metrics?.holdout ? 'weeks after training' : 'training weeks'}` : ''}.`);
  }
  return 0;
}
