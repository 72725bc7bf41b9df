// Take it with you: the model bundle (.mmm), CSV exports of the results.
import { EngineError } from '../../engine/errors';
import { budgetCsv, channelsCsv, contributionsCsv, regionsCsv, responseCurvesCsv } from '../../export/results-csv';
import { BUNDLE_EXTENSION } from '../../export/bundle';
import { buildReportHtml } from '../../export/report';
import { mountOnnxSection } from './onnx-section';
import { APP_VERSION } from '../../version';
import { formatInteger } from '../../format/number';
import { alertBox, clear, h } from '../dom';
import { baseName, downloadBlob, downloadText } from '../download';
import { appState } from '../state';

export function mountExportPanel(section: HTMLElement): void {
  const includeData = h('input', { type: 'checkbox', id: 'bundle-include-data' });
  const saveBtn = h('button', { class: 'mmm-button mmm-primary', id: 'save-bundle' }, 'Save the model (.mmm)');
  const messages = h('div', { id: 'export-messages', 'aria-live': 'polite' });
  const csvButtons = h('div', { class: 'mmm-actions mmm-actions-start', id: 'csv-exports' });
  const reportBtn = h('button', { class: 'mmm-button mmm-primary', id: 'download-report' }, 'Download HTML report');
  const printBtn = h('button', { class: 'mmm-button', id: 'open-report' }, 'Open printable report');
  const reportStatus = h('p', { id: 'report-status', 'aria-live': 'polite' });
  const empty = h('p', { id: 'export-empty' }, 'Train a model (or open a saved one in the Data tab) to export it.');
  const body = h('div', { hidden: true },
    h('div', { class: 'mmm-panel' },
      h('h2', {}, 'Save the model'),
      h('p', {}, 'One file with the fitted model, its settings, metrics and everything its dashboards need. Drop it on the Data tab (here or on another computer) to see the same results without retraining, or use it with `mmm-studio predict`.'),
      h('div', { class: 'mmm-field mmm-inline' }, includeData, h('label', { for: 'bundle-include-data' }, 'Include the original data file (off by default; the model itself keeps the weekly values per region its dashboards need)')),
      h('div', { class: 'mmm-actions mmm-actions-start' }, saveBtn),
      messages),
    h('div', { class: 'mmm-panel' },
      h('h2', {}, 'Report'),
      h('p', {}, 'Every dashboard view with the key figures and a summary of the data, in one HTML file that opens offline in any browser. Open it to print or save as PDF.'),
      h('div', { class: 'mmm-actions mmm-actions-start' }, reportBtn, printBtn),
      reportStatus),
    h('div', { class: 'mmm-panel' }, h('h2', {}, 'Results as CSV'), csvButtons),
  );

  const makeReport = async (): Promise<Blob | null> => {
    const results = appState.results;
    if (!results) return null;
    reportBtn.disabled = printBtn.disabled = true;
    try {
      const html = await buildReportHtml({
        results,
        dataName: appState.dataset?.name ?? 'data',
        appVersion: APP_VERSION,
        onView: (done, total) => { reportStatus.textContent = `Drawing view ${done} of ${total}…`; },
      });
      reportStatus.textContent = `Report ready (${formatInteger(html.length / 1024)} KB).`;
      return new Blob([html], { type: 'text/html;charset=utf-8' });
    } catch (err) {
      reportStatus.textContent = '';
      appState.recordError('REPORT_FAILED', String(err));
      messages.append(alertBox('error', 'Could not build the report', err instanceof Error ? err.message : String(err)));
      return null;
    } finally {
      reportBtn.disabled = printBtn.disabled = false;
    }
  };
  reportBtn.addEventListener('click', async () => {
    const blob = await makeReport();
    if (blob) downloadBlob(blob, `${baseName(appState.dataset?.name ?? 'mmm')}-report.html`);
  });
  printBtn.addEventListener('click', async () => {
    const blob = await makeReport();
    if (blob) window.open(URL.createObjectURL(blob), '_blank', 'noopener');
  });
  section.append(h('div', { class: 'mmm-panel' }, h('h2', {}, 'Export'), empty), body);
  mountOnnxSection(body);

  saveBtn.addEventListener('click', async () => {
    const results = appState.results;
    const d = appState.dataset;
    if (!results || appState.sessionId === null || !appState.client) return;
    clear(messages);
    try {
      const data = includeData.checked && d?.original ? await d.original.text() : null;
      const bytes = await appState.client.call('exportBundle', {
        sessionId: appState.sessionId,
        results,
        info: { dataName: d?.name ?? 'data', mapping: d?.mapping ?? null, data, appVersion: APP_VERSION },
      });
      downloadBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), `${baseName(d?.name ?? 'model')}-model${BUNDLE_EXTENSION}`);
      messages.append(alertBox('info', 'Model saved', `${formatInteger(bytes.byteLength / 1024)} KB${data ? ', with the original data' : ''}.`));
    } catch (err) {
      const e = err instanceof EngineError ? err : new EngineError('INTERNAL', String(err));
      appState.recordError(e.code, e.message);
      messages.append(alertBox('error', 'Could not save the model', e.message));
    }
  });

  const sync = () => {
    const r = appState.results;
    empty.hidden = !!r;
    body.hidden = !r;
    saveBtn.disabled = !r || appState.sessionId === null;
    includeData.disabled = !appState.dataset?.original;
    clear(csvButtons);
    if (!r) return;
    const name = baseName(appState.dataset?.name ?? 'mmm');
    const csv = (id: string, label: string, make: () => string, file: string) =>
      csvButtons.append(h('button', { class: 'mmm-button', id, onclick: () => downloadText(make(), `${name}-${file}.csv`) }, label));
    csv('csv-contributions', 'Contributions (region × week × component)', () => contributionsCsv(r), 'contributions');
    csv('csv-regions', 'Per-region metrics', () => regionsCsv(r), 'regions');
    if (r.economics.length) csv('csv-channels', 'Channels (contribution, share, ROI, marginal ROI)', () => channelsCsv(r), 'channels');
    if (r.responseCurves.length) csv('csv-curves', 'Response curves', () => responseCurvesCsv(r), 'response_curves');
    const plan = r.budget;
    if (plan) csv('csv-budget', 'Budget plan', () => budgetCsv(plan), 'budget');
  };
  appState.subscribe(sync);
  sync();
}
