// Data in: the drop zone, then what the app understood (mapping table, validation report) or the
// example data's summary. A failed or cancelled load shows why and keeps what was loaded before.
// Files and pasted text are parsed, inferred, validated and turned into a panel in the ingest
// worker (ingest/ingest.worker.ts); mapping edits go back to the same worker, so a 100 MB file never
// blocks the page.
import { IngestError, type Inference } from '../../ingest';
import { IngestWorker } from '../../ingest/worker-client';
import type { LoadOutcome } from '../../ingest/session';
import { readNotice, trainNotice } from '../../ingest/size-estimate';
import { EngineError } from '../../engine/errors';
import { renderMappingActions, renderMappingTable, renderValidationReport } from '../mapping';
import '../mapping/mapping.css';
import { alertBox, clear, h } from '../dom';
import { appState, type Dataset } from '../state';
import { createDropZone } from './drop-zone';
import { mountExperimentsPanel } from './experiments-panel';
import { DEMO_DEFAULTS, describeDemo } from './demo-summary';
import { demoToCsv } from '../../export/demo-csv';
import { BUNDLE_EXTENSION, looksLikeBundle } from '../../export/bundle';
import { adoptSession } from '../session';
import { provideCommand } from '../commands';

export function mountDataPanel(section: HTMLElement): void {
  const messages = h('div', { id: 'data-messages', 'aria-live': 'polite' });
  // Progress is not in the live region: a percentage rewritten 10 times a second would flood screen
  // readers; the <progress> element itself is what assistive technology reads on demand.
  const progress = h('progress', { class: 'mmm-progress', id: 'parse-progress', max: 1, value: 0, 'aria-label': 'Reading the file' });
  const progressText = h('span', { id: 'parse-progress-text', class: 'mmm-progress-text' });
  const cancelButton = h('button', { class: 'mmm-button', id: 'parse-cancel', type: 'button' }, 'Cancel');
  const progressBox = h('div', { id: 'parse-progress-box', class: 'mmm-progress-box', hidden: true }, progress, progressText, cancelButton);
  const notice = h('div', { id: 'size-notice' });
  const loaded = h('div', { id: 'data-loaded' });
  /** The worker holding the loaded file's table (mapping edits go there). */
  let activeWorker: IngestWorker | null = null;
  /** A load in progress: a new drop or Cancel stops it. */
  let reading: { cancel(): void } | null = null;

  const show = (el: HTMLElement | null) => {
    clear(messages);
    if (el) messages.append(el);
  };

  const fail = (title: string, err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    const code = err instanceof IngestError || err instanceof EngineError ? err.code : 'LOAD_FAILED';
    appState.recordError(code, message);
    const box = alertBox('error', title, message);
    box.dataset.code = code;
    if (err instanceof IngestError && err.issues.length) {
      box.append(h('ul', {}, ...err.issues.slice(0, 8).map((i) => h('li', {}, i.message))));
    }
    if (appState.dataset) box.append(h('div', {}, `Your previously loaded data (${appState.dataset.name}) is still loaded.`));
    show(box);
  };

  /** A newly loaded file replaces the dataset (and the worker holding its table). */
  const adopt = async (worker: IngestWorker, outcome: LoadOutcome & { parseMs: number }, name: string, source: Dataset['source'], original: Blob) => {
    performance.mark('mmm-ingest-loaded');
    const { inference } = outcome;
    const dataset: Dataset = { source, name, table: null, inference, mapping: inference.mapping, report: outcome.report, panel: outcome.panel, truth: null, original };
    activeWorker?.dispose();
    activeWorker = worker;
    const t0 = performance.now();
    appState.setDataset(dataset);
    // Receiving a big panel (tens of MB of transferred buffers) can cost the UI thread a garbage
    // collection: render in the next tasks so no single task adds up to a visible freeze.
    await nextTask();
    const t1 = performance.now();
    const drawn = await renderFileDataset(loaded, dataset, inference, outcome.columns, worker, (err) => fail('Could not apply the mapping', err));
    // For measurements (tests/e2e/big-file.test.ts): when the mapping table appeared, where the worker
    // spent its time, and the UI thread's share (state listeners, rendering).
    performance.mark('mmm-mapping-shown', { detail: { parse: outcome.parseMs, ...outcome.ms, uiListeners: t1 - t0, uiRender: performance.now() - t1, uiReport: drawn.reportMs, uiTable: drawn.tableMs } });
  };

  /** Parse, infer, validate and build the panel in a new ingest worker, with progress and Cancel. */
  const ingest = async (blob: Blob, name: string, source: Dataset['source']) => {
    reading?.cancel();
    const worker = new IngestWorker();
    const handle = worker.load(blob, (loadedBytes, total) => {
      progress.value = total ? loadedBytes / total : 0;
      progressText.textContent = `Reading ${name}: ${Math.floor(100 * (total ? loadedBytes / total : 0))} % (${(loadedBytes / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB)`;
      if (loadedBytes >= total) progressText.textContent = `Read ${name}; finding the columns and checking the data…`;
    });
    const mine = { cancel: () => handle.cancel() };
    reading = mine;
    cancelButton.onclick = () => handle.cancel();
    progress.value = 0;
    progressText.textContent = `Reading ${name}: 0 %`;
    progressBox.hidden = false;
    const big = readNotice(blob.size);
    notice.replaceChildren(...(big ? [alertBox('info', 'A big file', big)] : []));
    show(alertBox('info', `Reading ${name}`, `${(blob.size / 1e6).toFixed(2)} MB`));
    try {
      const outcome = await handle.promise;
      await adopt(worker, outcome, name, source, blob);
      show(null);
    } catch (err) {
      worker.dispose();
      if (err instanceof IngestError && err.code === 'CANCELLED') {
        if (reading === mine) {
          const box = alertBox('info', `Stopped reading ${name}`, appState.dataset ? `${appState.dataset.name} is still loaded.` : 'Nothing was loaded.');
          box.dataset.code = 'CANCELLED';
          show(box);
        }
      } else fail(source === 'paste' ? 'Could not read the pasted text' : `Could not read ${name}`, err);
    } finally {
      if (reading === mine) {
        reading = null;
        progressBox.hidden = true;
        notice.replaceChildren();
      }
    }
  };

  const openBundle = async (file: File) => {
    if (!appState.client) return show(alertBox('warning', 'The engine is still starting', 'Try again in a moment.'));
    show(alertBox('info', `Opening the saved model ${file.name}…`));
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const opened = await appState.client.call('importBundle', { bytes });
      const m = opened.meta;
      const dataset: Dataset = { source: 'bundle', name: `${m.dataName} (saved model ${file.name})`, table: null, inference: null, mapping: m.mapping, report: null, panel: null, truth: null,
        original: opened.data !== null ? new Blob([opened.data], { type: 'text/csv' }) : null };
      appState.setDataset(dataset);
      await adoptSession(opened.sessionId, null);
      appState.setResults(opened.results);
      clear(loaded);
      loaded.dataset.name = file.name;
      loaded.append(h('div', { class: 'mmm-panel', id: 'bundle-summary' },
        h('h2', {}, `Saved model: ${file.name}`),
        h('p', {}, `Fitted on ${m.dataName} (${m.shape.regions} regions × ${m.shape.weeks} weeks × ${m.shape.channels} channels), saved ${new Date(m.createdAt).toLocaleString()} by MMM Studio ${m.app.version}. `
          + `Holdout R² ${m.metrics.holdout.r2?.toFixed(3) ?? 'n/a'}. ${m.includesData ? 'The original data is included.' : 'The original data was not included.'}`),
        h('p', { id: 'data-ready', class: 'mmm-ready', 'data-ready': 'true' }, 'The model is loaded: open the Results tab for its dashboards (no retraining needed).')));
      show(null);
    } catch (err) {
      fail(`Could not open ${file.name}`, err);
    }
  };

  const readFile = async (file: File) => {
    if (file.name.toLowerCase().endsWith(BUNDLE_EXTENSION) || looksLikeBundle(new Uint8Array(await file.slice(0, 8).arrayBuffer()))) return openBundle(file);
    if (file.size === 0) return fail(`Could not read ${file.name}`, new IngestError('EMPTY_FILE', `${file.name} is empty (0 bytes). Export the data again and drop the CSV file.`));
    await ingest(file, file.name, 'file');
  };

  // Pasted text (and <mmm-studio>.loadCsv(string)) takes the same worker path as a file.
  const loadText = (text: string, name: string) => ingest(new Blob([text], { type: 'text/csv' }), name, 'paste');

  const loadDemo = async () => {
    if (!appState.client) return show(alertBox('warning', 'The engine is still starting', 'Try again in a moment.'));
    show(alertBox('info', 'Generating the example data…'));
    try {
      const demo = await appState.client.call('generateDemo', DEMO_DEFAULTS);
      const dataset: Dataset = { source: 'demo', name: 'Example data (simulated, with known truth)', table: null, inference: null, mapping: null, report: null, panel: demo.panel, truth: demo.truth, original: new Blob([demoToCsv(demo)], { type: 'text/csv' }) };
      appState.setDataset(dataset);
      clear(loaded);
      loaded.dataset.name = dataset.name;
      loaded.append(describeDemo(demo));
      show(null);
    } catch (err) {
      fail('Could not generate the example data', err);
    }
  };

  const zone = createDropZone({ onFile: (file) => void readFile(file), onText: loadText, onDemo: () => void loadDemo() });
  // The same actions for <mmm-studio>'s loadCsv / loadBundle methods.
  provideCommand('loadFile', readFile);
  provideCommand('loadText', loadText);
  provideCommand('loadDemo', loadDemo);

  // The experiments and priors files (calibration), shown once a panel is loaded.
  const calibration = h('div', { id: 'data-calibration' });
  mountExperimentsPanel(calibration);
  section.append(h('div', { class: 'mmm-panel' }, h('h2', {}, 'Load your data'), zone, progressBox, notice, messages), loaded, calibration);
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The data check, then (in the next task) the mapping table, whose edits are validated in `worker`. */
async function renderFileDataset(container: HTMLElement, dataset: Dataset, inference: Inference, columns: string[], worker: IngestWorker, onError: (err: unknown) => void): Promise<{ reportMs: number; tableMs: number }> {
  clear(container);
  delete container.dataset.name;
  const reportBox = h('div', { id: 'validation-report' });
  const costBox = h('div', { id: 'train-cost-notice' });
  const actionsBox = h('div', { id: 'mapping-actions' });
  const tableBox = h('div', { id: 'mapping-table' });
  const trainHint = h('p', { id: 'data-ready', class: 'mmm-ready' });
  const refresh = () => {
    renderValidationReport(reportBox, dataset.report!);
    const cost = dataset.panel ? trainNotice(dataset.panel) : null;
    costBox.replaceChildren(...(cost ? [alertBox('info', 'A big panel', cost)] : []));
    trainHint.textContent = dataset.report!.canTrain
      ? 'The data is ready: open the Train tab to fit the model.'
      : `Training is blocked: ${dataset.report!.blocking[0] ?? 'fix the errors listed above'}`;
    trainHint.dataset.ready = String(dataset.report!.canTrain);
  };
  let t = performance.now();
  refresh();
  container.append(
    h('div', { class: 'mmm-panel' }, h('h2', {}, `Loaded: ${dataset.name}`), reportBox, costBox, trainHint),
    h('div', { class: 'mmm-panel' }, h('h2', {}, 'Columns and roles'), actionsBox, tableBox),
  );
  const reportMs = performance.now() - t;
  await nextTask();
  t = performance.now();
  const table = renderMappingTable(tableBox, inference, (mapping) => {
    performance.mark('mmm-mapping-edited');
    // Validation and the panel build run in the worker that holds the table. An edit in the table
    // keeps the display units (Results tab); a loaded mapping file brings its own.
    dataset.mapping = mapping.units || !dataset.mapping?.units ? mapping : { ...mapping, units: dataset.mapping.units };
    trainHint.dataset.ready = 'pending';
    trainHint.textContent = 'Checking the data with the new mapping…';
    worker.apply(mapping).then((outcome) => {
      if (!outcome || appState.dataset !== dataset) return; // a newer edit or another file won
      const t0 = performance.now();
      dataset.report = outcome.report;
      dataset.panel = outcome.panel;
      appState.setDataset(dataset);
      const t1 = performance.now();
      refresh();
      // For measurements (tests/e2e/big-file.test.ts): the UI thread's share of a mapping edit.
      performance.mark('mmm-mapping-applied', { detail: { uiListeners: t1 - t0, uiRender: performance.now() - t1 } });
    }, onError);
  });
  renderMappingActions(actionsBox, {
    columns,
    getMapping: () => dataset.mapping!,
    onApply: (mapping) => {
      table.setMapping(mapping);
    },
    fileName: `${dataset.name.replace(/\.[^.]+$/, '')}-mapping.json`,
  });
  // Set last: tests (and scripts) wait for data-name to know the whole dataset view is drawn.
  container.dataset.name = dataset.name;
  return { reportMs, tableMs: performance.now() - t };
}
