// `mmm-studio export <model.mmm> --out model.onnx [--verify] [--json]`: writes the fitted model's
// forward pass as an ONNX graph (web/src/export/onnx.ts) and prints its inputs and outputs. With
// --verify it also runs the file in ONNX Runtime (Node) on the model's own data and reports the
// largest difference to the engine.
import { buildOnnxModel, checkOnnxModel, compareArrays, describeOnnxModel, onnxFeeds } from '../../src/export/onnx';
import { APP_VERSION } from '../../src/version';
import { parseCommandArgs, type CommandSpec } from '../args';
import { loadBundleForCli } from '../bundle';
import { CliUsageError, writeOutput, type CliIo } from '../io';

export const EXPORT = {
  name: 'export',
  options: { out: { type: 'string' }, verify: { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: { min: 1, max: 1, what: 'one model bundle (model.mmm)' },
  usage: `Usage: mmm-studio export <model.mmm> --out model.onnx [--verify] [--json]

Writes the fitted model as an ONNX graph (opset 15; the only export format): media and controls
per region and week in (user units, region-major, weeks from the model's first week), predicted
KPI and the additive decomposition out (KPI units). Scaling is folded into the graph. Prints the
inputs and outputs.
  --out FILE      the .onnx file to write (required)
  --verify        run the file in ONNX Runtime on the model's own data and report the largest
                  absolute and relative difference to the engine (exit 1 when >= 1e-4 relative)
  --json          print the description (and the check) as JSON
  -h, --help      this help`,
} as const satisfies CommandSpec<Record<string, { type: 'string' | 'boolean' }>>;

export async function exportCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, EXPORT, io);
  if (!args) return 0;
  const out = args.string('out');
  if (!out) throw new CliUsageError('--out FILE is required (the .onnx file to write)', EXPORT.usage);
  const { engine, sessionId, core, meta } = await loadBundleForCli(args.positional[0], io);
  try {
    const params = engine.exportGraphParams(sessionId);
    const bytes = buildOnnxModel(params, { appVersion: APP_VERSION, dataName: meta.dataName });
    const check = checkOnnxModel(bytes);
    if (!check.ok) throw new Error(`the ONNX graph failed its structural check: ${check.errors.join('; ')}`);
    writeOutput(out, bytes);
    const d = describeOnnxModel(bytes);
    let verify: { maxAbs: number; maxRel: number; outputs: Record<string, { maxAbs: number; maxRel: number }> } | null = null;
    if (args.flag('verify')) {
      const { runOnnx } = await import('../../src/export/ort');
      const res = await runOnnx(bytes, onnxFeeds(params, params.media, params.controlValues, params.weeks));
      const refs: Record<string, Float32Array> = { prediction: core.prediction, media_contribution: core.media, control_contribution: core.controls, baseline: core.baseline, seasonal: core.seasonal, media_coefficient: core.coefficients };
      verify = { maxAbs: 0, maxRel: 0, outputs: {} };
      for (const [name, ref] of Object.entries(refs)) {
        if (!res[name]) continue;
        const diff = compareArrays(res[name].data, ref);
        verify.outputs[name] = { maxAbs: diff.maxAbs, maxRel: diff.maxRel };
        verify.maxAbs = Math.max(verify.maxAbs, diff.maxAbs);
        verify.maxRel = Math.max(verify.maxRel, diff.maxRel);
      }
    }
    if (args.flag('json')) {
      io.stdout(JSON.stringify({ file: out, bytes: bytes.byteLength, irVersion: d.irVersion, opset: d.opset, nodes: d.nodes, parameters: d.parameters, inputs: d.inputs, outputs: d.outputs, ...(verify ? { verify } : {}) }));
    } else {
      const line = (x: (typeof d.inputs)[number]) => `  ${x.name.padEnd(22)} ${`${x.elemType} [${x.shape.join(', ')}]`.padEnd(28)} ${x.doc}`;
      io.stdout([
        `Wrote ${out} (${(bytes.byteLength / 1024).toFixed(1)} KB, ONNX IR ${d.irVersion}, opset ${d.opset}, ${d.nodes} nodes).`,
        'Inputs (region-major; weeks count from the model\'s first week):',
        ...d.inputs.map(line),
        'Outputs:',
        ...d.outputs.map(line),
        ...(verify ? [`Verified in ONNX Runtime against the engine on the model's data: max abs. difference ${verify.maxAbs.toExponential(2)}, max rel. difference ${verify.maxRel.toExponential(2)}.`] : []),
      ].join('\n'));
    }
    return verify && verify.maxRel >= 1e-4 ? 1 : 0;
  } finally {
    engine.disposeSession(sessionId);
  }
}
