// Data in: the drop zone, then what the app understood (mapping table, validation report) or the
// example data's summary. A failed load shows a specific error and keeps what was loaded before.
import { buildPanel, inferSchema, IngestError, parseCsvText, validate, type Inference, type Mapping, type ParsedTable } from '../../ingest';
import { parseFileInWorker } from '../../ingest/worker-client';
import type { PanelSpec } from '../../engine/core-types';
import { EngineError } from '../../engine/errors';
import { renderMappingActions, renderMappingTable, renderValidationReport } from '../mapping';
import '../mapping/mapping.css';
import { alertBox, clear, h } from '../dom';
import { appState, type Dataset } from '../state';
import { createDropZone } from './drop-zone';
import { DEMO_DEFAULTS, describeDemo } from './demo-summary';
import { demoToCsv } from '../../export/demo-csv';
import { BUNDLE_EXTENSION, looksLikeBundle } from '../../export/bundle';
import { adoptSession } from '../session';
import { provideCommand } from '../commands';

export function mountDataPanel(section: HTMLElement): void {
  const messages = h('div', { id: 'data-messages', 'aria-live': 'polite' });
  const progress = h('progress', { class: 'mmm-progress', id: 'parse-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Reading the file' });
  const loaded = h('div', { id: 'data-loaded' });

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

  const loadTable = (table: ParsedTable, name: string, source: Dataset['source'], original: Blob) => {
    const inference = inferSchema(table);
    const dataset: Dataset = { source, name, table, inference, mapping: inference.mapping, report: null, panel: null, truth: null, original };
    applyMapping(dataset, inference.mapping);
    appState.setDataset(dataset);
    renderFileDataset(loaded, dataset, inference);
    show(null);
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
    show(alertBox('info', `Reading ${file.name}`, `${(file.size / 1e6).toFixed(2)} MB`));
    progress.hidden = false;
    progress.value = 0;
    try {
      // Parsing runs in its own worker so a 200 MB file never freezes the page.
      const table = await parseFileInWorker(file, (loadedBytes, total) => { progress.value = total ? loadedBytes / total : 0; }).promise;
      loadTable(table, file.name, 'file', file);
    } catch (err) {
      fail(`Could not read ${file.name}`, err);
    } finally {
      progress.hidden = true;
    }
  };

  const loadText = (text: string, name: string) => {
    try {
      loadTable(parseCsvText(text), name, 'paste', new Blob([text], { type: 'text/csv' }));
    } catch (err) {
      fail('Could not read the pasted text', err);
    }
  };

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

  section.append(h('div', { class: 'mmm-panel' }, h('h2', {}, 'Load your data'), zone, progress, messages), loaded);
}

/** Validates the mapping and, when nothing blocks, builds the panel the engine trains on. */
function applyMapping(dataset: Dataset, mapping: Mapping): void {
  dataset.mapping = mapping;
  dataset.report = validate(dataset.table!, mapping);
  dataset.panel = null;
  if (dataset.report.canTrain) {
    try {
      const p = buildPanel(dataset.table!, mapping);
      const panel: PanelSpec = {
        regions: p.regions, weeks: p.weeks, channels: p.channels, controls: p.controls,
        media: p.media, spend: p.spend, controlValues: p.controlValues, kpi: p.kpi,
        regionNames: p.regionNames, channelNames: p.channelNames, controlNames: p.controlNames,
        dates: p.dates, weekOfYear: p.weekOfYear,
      };
      dataset.panel = panel;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      dataset.report = { ...dataset.report, canTrain: false, blocking: [...dataset.report.blocking, message],
        errors: [...dataset.report.errors, { code: err instanceof IngestError ? err.code : 'PANEL_FAILED', severity: 'error', message }] };
    }
  }
}

function renderFileDataset(container: HTMLElement, dataset: Dataset, inference: Inference): void {
  clear(container);
  container.dataset.name = dataset.name;
  const reportBox = h('div', { id: 'validation-report' });
  const actionsBox = h('div', { id: 'mapping-actions' });
  const tableBox = h('div', { id: 'mapping-table' });
  const trainHint = h('p', { id: 'data-ready', class: 'mmm-ready' });
  const refresh = () => {
    renderValidationReport(reportBox, dataset.report!);
    trainHint.textContent = dataset.report!.canTrain
      ? 'The data is ready: open the Train tab to fit the model.'
      : `Training is blocked: ${dataset.report!.blocking[0] ?? 'fix the errors listed above'}`;
    trainHint.dataset.ready = String(dataset.report!.canTrain);
  };
  const table = renderMappingTable(tableBox, inference, (mapping) => {
    applyMapping(dataset, mapping);
    appState.setDataset(dataset);
    refresh();
  });
  renderMappingActions(actionsBox, {
    columns: dataset.table!.columns,
    getMapping: () => dataset.mapping!,
    onApply: (mapping) => {
      table.setMapping(mapping);
    },
    fileName: `${dataset.name.replace(/\.[^.]+$/, '')}-mapping.json`,
  });
  refresh();
  container.append(
    h('div', { class: 'mmm-panel' }, h('h2', {}, `Loaded: ${dataset.name}`), reportBox, trainHint),
    h('div', { class: 'mmm-panel' }, h('h2', {}, 'Columns and roles'), actionsBox, tableBox),
  );
}
