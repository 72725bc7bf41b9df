// Export tab, ONNX part: download the fitted model as an ONNX graph, verify it in ONNX Runtime Web
// against the engine's own numbers, and a small what-if planner that runs either on ORT (in its own
// worker, export/ort.ts) or on the C++ core (in the engine worker), so the page never blocks. The
// ONNX builder, onnx-proto and ONNX Runtime are loaded only when one of these is used.
import type { OnnxGraphParams } from '../../engine/core-types';
import { EngineError } from '../../engine/errors';
import type { ModelResults } from '../../engine/results';
import type { OnnxSession } from '../../export/ort';
import { APP_VERSION } from '../../version';
import { formatInteger, formatNumber, formatScientific, formatSignedPct } from '../../format/number';
import { alertBox, clear, h } from '../dom';
import { baseName, downloadBlob } from '../download';
import { appState } from '../state';

/** Weeks before the panel's end whose average spend is the planner's starting point. */
const REFERENCE_WEEKS = 13;

interface Loaded {
  results: ModelResults;
  sessionId: number;
  params: OnnxGraphParams;
  bytes: Uint8Array;
  session: OnnxSession | null;
}

type Engine = 'onnx' | 'core';

interface ScenarioRun {
  engine: Engine;
  key: string;
  /** National predicted KPI per future week: plan and reference (100 %) plan. */
  plan: Float64Array;
  reference: Float64Array;
  /** Per region and future week [r*H + h], for the engine-agreement check. */
  cells: Float32Array;
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? formatInteger(x) : formatNumber(x));
const round2 = (x: number) => Math.round(x * 100) / 100;
const sci = (x: number) => formatScientific(x);

export function mountOnnxSection(container: HTMLElement): void {
  const downloadBtn = h('button', { class: 'mmm-button mmm-primary', id: 'onnx-download' }, 'Download ONNX');
  const verifyBtn = h('button', { class: 'mmm-button', id: 'onnx-verify' }, 'Verify export');
  const status = h('p', { id: 'onnx-status', 'aria-live': 'polite' });
  const verifyResult = h('div', { id: 'onnx-verify-result', 'aria-live': 'polite' });
  const ioTable = h('div', { id: 'onnx-io' });

  const weeksInput = h('input', { type: 'number', id: 'scenario-weeks', min: 1, max: 52, step: 1, value: '8', 'aria-describedby': 'scenario-weeks-help' });
  const sliders = h('div', { class: 'mmm-form-grid', id: 'scenario-sliders' });
  const planTable = h('div', { id: 'scenario-plan' });
  const engineOnnx = h('input', { type: 'radio', name: 'scenario-engine', id: 'scenario-engine-onnx', value: 'onnx', checked: true });
  const engineCore = h('input', { type: 'radio', name: 'scenario-engine', id: 'scenario-engine-core', value: 'core' });
  const runBtn = h('button', { class: 'mmm-button mmm-primary', id: 'scenario-run' }, 'Predict');
  const scenarioResult = h('div', { id: 'scenario-result', 'aria-live': 'polite' });
  const messages = h('div', { id: 'onnx-messages', 'aria-live': 'polite' });
  const empty = h('p', { id: 'onnx-empty' }, 'Train a model (or open a saved one) to export it as ONNX.');

  const body = h('div', { hidden: true },
    h('p', {}, 'The fitted model as a standard ONNX graph: media and controls per region and week in, predicted KPI and every channel\'s contribution out (scaling folded in). Score it with ONNX Runtime, or any ONNX runtime, without this app.'),
    h('div', { class: 'mmm-actions mmm-actions-start' }, downloadBtn, verifyBtn),
    status, verifyResult, ioTable,
    h('h3', {}, 'Scenario planner'),
    h('p', { class: 'mmm-muted' }, `What if you spend differently in the weeks after your data? The plan starts from each channel's average weekly amount over the last ${REFERENCE_WEEKS} weeks (national total, split over regions as in those weeks); scale it per channel or edit single weeks. Controls stay at each region's last value.`),
    h('div', { class: 'mmm-form-grid' },
      h('div', { class: 'mmm-field' },
        h('label', { for: 'scenario-weeks' }, 'Weeks to plan'), weeksInput,
        h('small', { id: 'scenario-weeks-help' }, 'Weeks after the last week of your data (1–52).')),
      h('fieldset', { class: 'mmm-field', id: 'scenario-engine' },
        h('legend', {}, 'Run on'),
        h('div', { class: 'mmm-inline' }, engineOnnx, h('label', { for: 'scenario-engine-onnx' }, 'ONNX Runtime Web (the exported file)')),
        h('div', { class: 'mmm-inline' }, engineCore, h('label', { for: 'scenario-engine-core' }, 'C++ engine (worker)')))),
    sliders, planTable,
    h('div', { class: 'mmm-actions mmm-actions-start' }, runBtn),
    scenarioResult, messages);
  container.append(h('div', { class: 'mmm-panel', id: 'onnx-section' }, h('h2', {}, 'ONNX model'), empty, body));

  let loaded: Loaded | null = null;
  let loading: Promise<Loaded> | null = null;
  let loadingFor: ModelResults | null = null;
  let busy = false;
  const runs = new Map<Engine, ScenarioRun>();
  let pct: number[] = [];
  let plan: number[][] = []; // [week][channel] national totals
  let cells: HTMLInputElement[][] = []; // the plan table's inputs (no document lookups: the app may live in a shadow root)

  const fail = (title: string, err: unknown) => {
    const e = err instanceof EngineError ? err : new EngineError('INTERNAL', err instanceof Error ? err.message : String(err));
    appState.recordError(e.code, e.message);
    messages.append(alertBox('error', title, e.message));
    status.textContent = '';
  };

  const setBusy = (b: boolean) => {
    busy = b;
    sync();
  };

  /** Parameters, graph bytes and (lazily) the ORT session of the current model. */
  const load = (): Promise<Loaded> => {
    const results = appState.results;
    const sessionId = appState.sessionId;
    const client = appState.client;
    if (!results || sessionId === null || !client) return Promise.reject(new EngineError('INVALID_CONFIG', 'no fitted model: train one or open a saved model first'));
    if (loaded && loaded.results === results && loaded.sessionId === sessionId) return Promise.resolve(loaded);
    if (loading && loadingFor === results) return loading;
    loadingFor = results;
    loading = (async () => {
      const [{ buildOnnxModel }, params] = await Promise.all([import('../../export/onnx'), client.call('onnxParams', { sessionId })]);
      const bytes = buildOnnxModel(params, { appVersion: APP_VERSION, dataName: appState.dataset?.name });
      const old = loaded;
      loaded = { results, sessionId, params, bytes, session: null };
      void old?.session?.release().catch(() => undefined);
      return loaded;
    })();
    const mine = loading;
    void mine.catch(() => undefined).finally(() => {
      if (loading === mine) loading = null;
    });
    return mine;
  };

  const ortSession = async (l: Loaded): Promise<OnnxSession> => {
    if (!l.session) {
      const { OnnxSession } = await import('../../export/ort');
      l.session = await OnnxSession.create(l.bytes);
    }
    return l.session;
  };

  downloadBtn.addEventListener('click', async () => {
    clear(messages);
    try {
      setBusy(true);
      const l = await load();
      downloadBlob(new Blob([l.bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), `${baseName(appState.dataset?.name ?? 'model')}-model.onnx`);
      status.textContent = `ONNX model saved (${formatInteger(l.bytes.byteLength / 1024)} KB).`;
      await showInterface(l);
    } catch (err) {
      fail('Could not export the ONNX model', err);
    } finally {
      setBusy(false);
    }
  });

  const showInterface = async (l: Loaded) => {
    const { describeOnnxModel } = await import('../../export/onnx');
    const d = describeOnnxModel(l.bytes);
    clear(ioTable);
    const row = (kind: string, x: (typeof d.inputs)[number]) =>
      h('tr', {}, h('td', {}, kind), h('td', {}, h('code', {}, x.name)), h('td', {}, `${x.elemType} [${x.shape.join(', ')}]`), h('td', {}, x.doc));
    ioTable.append(h('table', { class: 'mmm-table' },
      h('caption', {}, `ONNX IR ${d.irVersion}, opset ${d.opset}, ${d.nodes} nodes, ${formatInteger(d.parameters)} stored values. Region-major arrays; weeks count from the model's first week.`),
      h('thead', {}, h('tr', {}, h('th', {}, 'Kind'), h('th', {}, 'Name'), h('th', {}, 'Type and shape'), h('th', {}, 'Meaning'))),
      h('tbody', {}, ...d.inputs.map((x) => row('input', x)), ...d.outputs.map((x) => row('output', x)))));
  };

  verifyBtn.addEventListener('click', async () => {
    clear(messages);
    clear(verifyResult);
    verifyResult.removeAttribute('data-max-rel');
    try {
      setBusy(true);
      status.textContent = 'Building the ONNX model and loading ONNX Runtime…';
      const l = await load();
      const { checkOnnxModel, compareArrays, onnxFeeds } = await import('../../export/onnx');
      const check = checkOnnxModel(l.bytes);
      const session = await ortSession(l);
      status.textContent = 'Running the ONNX model on the training data…';
      const t0 = performance.now();
      const p = l.params;
      const out = await session.run(onnxFeeds(p, p.media, p.controlValues, p.weeks));
      const ms = performance.now() - t0;
      const r = l.results;
      const pairs: [string, string, Float32Array][] = [
        ['Prediction', 'prediction', r.prediction],
        ['Media contributions', 'media_contribution', r.media],
        ['Control contributions', 'control_contribution', r.controls],
        ['Baseline', 'baseline', r.baseline],
        ['Seasonal', 'seasonal', r.seasonal],
        ['Media coefficients', 'media_coefficient', r.coefficients],
      ];
      let maxAbs = 0, maxRel = 0;
      const rows: HTMLElement[] = [];
      for (const [label, name, ref] of pairs) {
        if (!out[name]) continue;
        const d = compareArrays(out[name].data, ref);
        maxAbs = Math.max(maxAbs, d.maxAbs);
        maxRel = Math.max(maxRel, d.maxRel);
        rows.push(h('tr', {}, h('td', {}, label), h('td', {}, String(d.count)), h('td', {}, sci(d.maxAbs)), h('td', {}, sci(d.maxRel))));
      }
      const ok = maxRel < 1e-4 && check.ok;
      verifyResult.dataset.maxAbs = String(maxAbs);
      verifyResult.dataset.maxRel = String(maxRel);
      verifyResult.dataset.ok = String(ok);
      verifyResult.append(
        alertBox(ok ? 'info' : 'warning', ok ? 'The ONNX model reproduces the engine' : 'The ONNX model differs from the engine',
          `Max absolute difference ${sci(maxAbs)}, max relative difference ${sci(maxRel)} over every region, week and output (ONNX Runtime Web, ${formatInteger(ms)} ms). Structural check: ${check.ok ? 'passed' : check.errors.join('; ')}.`),
        h('table', { class: 'mmm-table', id: 'onnx-verify-table' },
          h('caption', {}, 'ONNX Runtime vs the C++ engine on the training data (relative difference = |ONNX − engine| / |engine|)'),
          h('thead', {}, h('tr', {}, h('th', {}, 'Output'), h('th', {}, 'Values'), h('th', {}, 'Max abs. difference'), h('th', {}, 'Max rel. difference'))),
          h('tbody', {}, ...rows)));
      status.textContent = '';
      await showInterface(l);
    } catch (err) {
      fail('Could not verify the ONNX model', err);
    } finally {
      setBusy(false);
    }
  });

  // ---- scenario planner ----

  const horizon = () => Math.max(1, Math.min(52, Math.round(Number(weeksInput.value) || 8)));

  /** Average weekly amount per region and channel over the reference weeks, [r*C + c]. */
  const reference = (r: ModelResults): Float64Array => {
    const { regions: R, weeks: T, channels: C } = r.shape;
    const L = Math.min(REFERENCE_WEEKS, T);
    const base = new Float64Array(R * C);
    for (let reg = 0; reg < R; reg++)
      for (let t = T - L; t < T; t++)
        for (let c = 0; c < C; c++) base[reg * C + c] += r.mediaInput[(reg * T + t) * C + c] / L;
    return base;
  };
  const nationalReference = (r: ModelResults): number[] => {
    const base = reference(r);
    const { regions: R, channels: C } = r.shape;
    return Array.from({ length: C }, (_, c) => {
      let s = 0;
      for (let reg = 0; reg < R; reg++) s += base[reg * C + c];
      return s;
    });
  };

  /** The plan table: rows are rebuilt only when the number of weeks changes; rows that stay keep
   * their (possibly edited) values, new rows start from the reference × the channel's %. */
  const rebuildPlan = () => {
    const r = appState.results;
    if (!r) {
      clear(planTable);
      plan = [];
      return;
    }
    const H = horizon();
    if (String(H) !== weeksInput.value) weeksInput.value = String(H);
    if (H === plan.length && planTable.firstChild) return;
    const nat = nationalReference(r);
    plan = Array.from({ length: H }, (_, w) => plan[w] ?? nat.map((x, c) => x * (pct[c] ?? 100) / 100));
    clear(planTable);
    cells = [];
    const head = h('tr', {}, h('th', {}, 'Week'), ...r.channelNames.map((n, c) => h('th', {}, `${n} (${r.mediaUnit[c] ?? 'spend'})`)));
    const body = h('tbody', {});
    for (let w = 0; w < H; w++) {
      cells.push([]);
      body.append(h('tr', {}, h('td', {}, weekLabel(r, w)), ...r.channelNames.map((n, c) => {
        const input = h('input', { type: 'number', min: 0, step: 'any', id: `scenario-cell-${w}-${c}`, value: String(round2(plan[w][c])), 'aria-label': `${n}, ${weekLabel(r, w)}`, class: 'mmm-input-number' });
        input.addEventListener('change', () => {
          const v = Number(input.value);
          if (input.value !== '' && Number.isFinite(v) && v >= 0) plan[w][c] = v;
          else input.value = String(round2(plan[w][c]));
        });
        cells[w].push(input);
        return h('td', {}, input);
      })));
    }
    planTable.append(h('table', { class: 'mmm-table' }, h('caption', {}, 'National totals per week (editable); split over regions as in the reference weeks'), h('thead', {}, head), body));
  };

  /** A slider sets its channel's column to reference × %, in place. */
  const applyPct = (c: number) => {
    const r = appState.results;
    if (!r) return;
    const x = nationalReference(r)[c] * pct[c] / 100;
    plan.forEach((row, w) => {
      row[c] = x;
      const cell = cells[w]?.[c];
      if (cell) cell.value = String(round2(x));
    });
  };

  const rebuildSliders = () => {
    const r = appState.results;
    clear(sliders);
    if (!r) return;
    pct = r.channelNames.map(() => 100);
    plan = [];
    r.channelNames.forEach((name, c) => {
      const out = h('output', { id: `scenario-pct-${c}-value`, for: `scenario-pct-${c}` }, '100 %');
      const slider = h('input', { type: 'range', id: `scenario-pct-${c}`, min: 0, max: 300, step: 5, value: '100' });
      slider.addEventListener('input', () => {
        pct[c] = Number(slider.value);
        out.textContent = `${slider.value} %`;
      });
      slider.addEventListener('change', () => applyPct(c));
      sliders.append(h('div', { class: 'mmm-field' }, h('label', { for: `scenario-pct-${c}` }, name), slider, out));
    });
    rebuildPlan();
  };
  weeksInput.addEventListener('change', rebuildPlan);

  /** Media and controls for the panel weeks followed by the planned weeks ([r][t][.]). */
  const scenarioInputs = (p: OnnxGraphParams, r: ModelResults, weeks: number[][]) => {
    const { regions: R, channels: C, controls: K } = p.spec;
    const T = p.weeks, H = weeks.length, W = T + H;
    const base = reference(r);
    const share = new Float64Array(R * C);
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let reg = 0; reg < R; reg++) s += base[reg * C + c];
      for (let reg = 0; reg < R; reg++) share[reg * C + c] = s > 0 ? base[reg * C + c] / s : 1 / R;
    }
    const media = new Float32Array(R * W * C);
    const controls = new Float32Array(R * W * K);
    for (let reg = 0; reg < R; reg++) {
      media.set(p.media.subarray(reg * T * C, (reg + 1) * T * C), reg * W * C);
      controls.set(p.controlValues.subarray(reg * T * K, (reg + 1) * T * K), reg * W * K);
      for (let w = 0; w < H; w++) {
        const t = T + w;
        for (let c = 0; c < C; c++) media[(reg * W + t) * C + c] = weeks[w][c] * share[reg * C + c];
        for (let k = 0; k < K; k++) controls[(reg * W + t) * K + k] = p.controlValues[(reg * T + T - 1) * K + k];
      }
    }
    return { media, controls, weeks: W };
  };

  const predictFuture = async (engine: Engine, l: Loaded, weeks: number[][]): Promise<Float32Array> => {
    const x = scenarioInputs(l.params, l.results, weeks);
    const { regions: R } = l.params.spec;
    const T = l.params.weeks, H = weeks.length;
    let pred: Float32Array;
    if (engine === 'onnx') {
      const { onnxFeeds } = await import('../../export/onnx');
      const session = await ortSession(l);
      pred = (await session.run(onnxFeeds(l.params, x.media, x.controls, x.weeks))).prediction.data;
    } else {
      pred = (await appState.client!.call('predictInputs', { sessionId: l.sessionId, inputs: { media: x.media, controlValues: x.controls } })).prediction;
    }
    const cells = new Float32Array(R * H);
    for (let reg = 0; reg < R; reg++) for (let w = 0; w < H; w++) cells[reg * H + w] = pred[reg * x.weeks + T + w];
    return cells;
  };

  runBtn.addEventListener('click', async () => {
    clear(messages);
    const engine: Engine = engineCore.checked ? 'core' : 'onnx';
    try {
      setBusy(true);
      status.textContent = engine === 'onnx' ? 'Running the scenario in ONNX Runtime…' : 'Running the scenario in the engine…';
      const l = await load();
      const r = l.results;
      const H = plan.length;
      const nat = nationalReference(r);
      const refPlan = Array.from({ length: H }, () => nat.slice());
      const t0 = performance.now();
      const cells = await predictFuture(engine, l, plan);
      const refCells = await predictFuture(engine, l, refPlan);
      const ms = performance.now() - t0;
      const R = r.shape.regions;
      const national = (x: Float32Array) => Float64Array.from({ length: H }, (_, w) => {
        let s = 0;
        for (let reg = 0; reg < R; reg++) s += x[reg * H + w];
        return s;
      });
      const run: ScenarioRun = { engine, key: JSON.stringify(plan), plan: national(cells), reference: national(refCells), cells };
      runs.set(engine, run);
      showScenario(r, run, ms);
      status.textContent = '';
    } catch (err) {
      fail('Could not run the scenario', err);
    } finally {
      setBusy(false);
    }
  });

  const showScenario = (r: ModelResults, run: ScenarioRun, ms: number) => {
    clear(scenarioResult);
    const H = run.plan.length;
    const total = run.plan.reduce((a, b) => a + b, 0);
    const refTotal = run.reference.reduce((a, b) => a + b, 0);
    const change = refTotal !== 0 ? (100 * (total - refTotal)) / Math.abs(refTotal) : 0;
    scenarioResult.dataset.engine = run.engine;
    scenarioResult.dataset.total = String(total);
    scenarioResult.dataset.referenceTotal = String(refTotal);
    const other = runs.get(run.engine === 'onnx' ? 'core' : 'onnx');
    let agreement: HTMLElement | null = null;
    if (other && other.key === run.key) {
      let worst = 0;
      for (let i = 0; i < run.cells.length; i++) worst = Math.max(worst, Math.abs(run.cells[i] - other.cells[i]) / Math.max(Math.abs(other.cells[i]), Number.MIN_VALUE));
      scenarioResult.dataset.agreement = String(worst);
      agreement = h('p', { id: 'scenario-agreement' }, `ONNX Runtime and the C++ engine agree on this plan: max relative difference ${sci(worst)} over every region and week.`);
    } else delete scenarioResult.dataset.agreement;
    scenarioResult.append(
      h('p', { id: 'scenario-summary' }, `Predicted KPI over the next ${H} week${H === 1 ? '' : 's'}: `, h('strong', {}, fmt(total)),
        ` (${formatSignedPct(change / 100, 2)} vs continuing the reference spend: ${fmt(refTotal)}). Ran on ${run.engine === 'onnx' ? 'ONNX Runtime' : 'the C++ engine'} in ${formatInteger(ms)} ms.`),
      agreement ?? '',
      h('table', { class: 'mmm-table', id: 'scenario-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Week'), h('th', {}, 'Predicted KPI'), h('th', {}, 'Reference plan'), h('th', {}, 'Difference'))),
        h('tbody', {}, ...Array.from({ length: H }, (_, w) => h('tr', {},
          h('td', {}, weekLabel(r, w)), h('td', {}, fmt(run.plan[w])), h('td', {}, fmt(run.reference[w])), h('td', {}, fmt(run.plan[w] - run.reference[w])))))));
  };

  let shown: ModelResults | null = null;
  const sync = () => {
    const r = appState.results;
    const ready = !!r && appState.sessionId !== null && !!appState.client;
    empty.hidden = !!r;
    body.hidden = !r;
    downloadBtn.disabled = !ready || busy;
    verifyBtn.disabled = !ready || busy;
    runBtn.disabled = !ready || busy;
    if (r !== shown) {
      shown = r;
      runs.clear();
      clear(verifyResult);
      clear(scenarioResult);
      clear(ioTable);
      clear(messages);
      rebuildSliders();
    }
  };
  appState.subscribe(sync);
  sync();
}

/** "2024-03-04" → the date `w + 1` weeks after the panel's last week; else "week +n". */
function weekLabel(r: ModelResults, w: number): string {
  const last = r.dates[r.dates.length - 1];
  const t = last && /^\d{4}-\d{2}-\d{2}$/.test(last) ? Date.parse(`${last}T00:00:00Z`) : Number.NaN;
  if (Number.isFinite(t)) return new Date(t + (w + 1) * 7 * 86400000).toISOString().slice(0, 10);
  return `week +${w + 1}`;
}
