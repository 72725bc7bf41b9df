// Data tab, second drop zone: the experiments file (lift tests the fit is calibrated to) and a
// priors file (it fills the ROI-priors table in Train → Advanced). Shows the parsed rows and every
// validation message; the fit uses the rows that pass (train-panel.ts refuses to start while any
// row has a problem, so nothing is dropped silently).
import { EXPERIMENT_COLUMNS, PRIOR_COLUMNS } from '../../calibration/experiments-file';
import { exampleExperimentsCsv } from '../../calibration/example-experiment';
import type { DemoData } from '../../engine/core-types';
import { formatNumber } from '../../format/number';
import { calibrationInputs, calibrationPanel } from '../calibration-inputs';
import { alertBox, clear, h } from '../dom';
import { appState, type Dataset } from '../state';

export function mountExperimentsPanel(container: HTMLElement): void {
  const fileInput = h('input', { type: 'file', accept: '.csv,.txt,text/csv', id: 'experiments-file-input', class: 'mmm-visually-hidden', 'aria-label': 'Choose an experiments file', tabindex: -1 });
  const priorsInput = h('input', { type: 'file', accept: '.csv,.txt,text/csv', id: 'priors-file-input', class: 'mmm-visually-hidden', 'aria-label': 'Choose a priors file', tabindex: -1 });
  const exampleButton = h('button', { class: 'mmm-button', id: 'add-example-experiment', type: 'button', hidden: true }, 'Add the example experiment');
  const removeButton = h('button', { class: 'mmm-button', id: 'remove-experiments', type: 'button', hidden: true }, 'Remove the experiments');
  const status = h('div', { id: 'experiments-status', 'aria-live': 'polite' });
  const table = h('div', { id: 'experiments-table' });
  const zone = h('div', { class: 'mmm-dropzone', id: 'experiments-drop' },
    h('p', { class: 'mmm-drop-title' }, 'Experiments (optional): drop a CSV of lift tests here'),
    h('p', { class: 'mmm-drop-hint' }, `One row per test: ${EXPERIMENT_COLUMNS.join(', ')} (lift with lift_se, or roi with roi_se; regions empty = all; readout_weeks empty = the lift includes the whole carryover after the test). `
      + `ROI priors: a CSV with ${PRIOR_COLUMNS.join(', ')}, edited in Train → Advanced.`),
    h('div', { class: 'mmm-actions' },
      h('button', { class: 'mmm-button', id: 'choose-experiments', type: 'button', onclick: () => fileInput.click() }, 'Choose an experiments file…'),
      h('button', { class: 'mmm-button', id: 'choose-priors', type: 'button', onclick: () => priorsInput.click() }, 'Choose a priors file…'),
      exampleButton, removeButton),
    fileInput, priorsInput);
  const section = h('div', { class: 'mmm-panel', id: 'experiments-panel', hidden: true }, h('h2', {}, 'Calibration: experiments and ROI priors'), zone, status, table);
  container.append(section);

  const readText = async (file: File, priors: boolean) => {
    const text = await file.text();
    if (priors) {
      const panel = calibrationPanel(appState.dataset);
      if (!panel) return;
      const check = calibrationInputs.loadPriorsText(text, panel);
      const fileLevel = check.errors.filter((e) => e.row === null || e.row === 1);
      status.replaceChildren(fileLevel.length
        ? alertBox('error', `Could not use ${file.name}`, fileLevel.map((e) => e.message).join('; '))
        : alertBox('info', `Loaded ${calibrationInputs.priors.length} ROI prior${calibrationInputs.priors.length === 1 ? '' : 's'} from ${file.name}`, 'Review them in Train → Advanced settings.'));
      return;
    }
    calibrationInputs.setExperiments({ name: file.name, text });
  };
  fileInput.addEventListener('change', () => {
    const f = fileInput.files?.[0];
    if (f) void readText(f, false);
    fileInput.value = '';
  });
  priorsInput.addEventListener('change', () => {
    const f = priorsInput.files?.[0];
    if (f) void readText(f, true);
    priorsInput.value = '';
  });
  // A file dropped here is an experiments file: it must not reach the page-wide drop target, which
  // would load it as the data.
  zone.addEventListener('dragover', (e) => { e.preventDefault(); e.stopPropagation(); zone.classList.add('mmm-dragover'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('mmm-dragover'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    e.stopPropagation();
    zone.classList.remove('mmm-dragover');
    const f = e.dataTransfer?.files?.[0];
    if (f) void readText(f, false);
  });
  exampleButton.addEventListener('click', () => {
    const d = appState.dataset;
    if (!d?.panel || !d.truth) return;
    const text = exampleExperimentsCsv({ panel: d.panel, truth: d.truth, impressions: null } as unknown as DemoData);
    if (text) calibrationInputs.setExperiments({ name: 'example experiment (lift test on Search)', text });
  });
  removeButton.addEventListener('click', () => calibrationInputs.setExperiments(null));

  let shownDataset: Dataset | null = null;
  const render = () => {
    const d = appState.dataset;
    if (d !== shownDataset) {
      // Another dataset: its experiments would name other channels and weeks. Note the dataset first:
      // reset() notifies this render again, which must not reset again (endless recursion).
      const previous = shownDataset;
      shownDataset = d;
      if (previous && d?.source !== 'bundle') calibrationInputs.reset();
    }
    section.hidden = !d?.panel;
    exampleButton.hidden = !(d?.source === 'demo' && d.truth);
    removeButton.hidden = !calibrationInputs.experiments;
    clear(table);
    const check = calibrationInputs.checkExperiments(d);
    if (!check || !calibrationInputs.experiments) {
      delete table.dataset.state;
      return;
    }
    const name = calibrationInputs.experiments.name;
    const rows = check.experiments;
    table.dataset.state = check.errors.length ? 'invalid' : 'valid';
    if (check.errors.length)
      table.append(alertBox('error', `${name}: ${check.errors.length} problem${check.errors.length === 1 ? '' : 's'}; training is blocked until they are fixed or the file removed`),
        h('ul', { id: 'experiments-messages' }, ...check.errors.map((e) => h('li', {}, e.message))));
    else table.append(alertBox('info', `${name}: ${rows.length} experiment${rows.length === 1 ? '' : 's'} ready`, 'The next training run is calibrated to them (checked against a 13-week holdout here; Train checks its own settings).'));
    if (rows.length)
      table.append(h('div', { class: 'mmm-table-scroll' }, h('table', { class: 'mmm-table', id: 'experiments-rows' },
        h('caption', {}, 'Experiments read from the file'),
        h('thead', {}, h('tr', {}, ...['Row', 'Channel', 'Start', 'End', 'Regions', 'Measured', 'Standard error', 'Readout after the end'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, ...rows.map((x) => h('tr', {},
          h('td', {}, String(x.row)), h('td', {}, x.channel), h('td', {}, x.start), h('td', {}, x.end),
          h('td', {}, x.regions.length ? (x.regions.length > 3 ? `${x.regions.length} regions` : x.regions.join(', ')) : 'all'),
          h('td', {}, `${x.kind === 'roi' ? 'ROI ' : 'lift '}${formatNumber(x.value)}`), h('td', {}, formatNumber(x.se)),
          h('td', {}, readoutText(x.experiment.readoutWeeks))))))));
  };
  appState.subscribe(render);
  calibrationInputs.subscribe(render);
  render();
}

/** How much of the carryover after a test its measured lift includes, in words. */
export function readoutText(weeks: number | undefined): string {
  if (weeks === undefined) return 'the whole carryover';
  if (weeks === 0) return 'none (the test weeks only)';
  return `${weeks} week${weeks === 1 ? '' : 's'}`;
}
