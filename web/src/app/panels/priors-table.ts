// Train → Advanced: the ROI priors, one row per channel (a plausible ROI and its spread, KPI per
// unit of spend). Rows come from a priors file (Data tab) or are typed here; every problem is listed
// under the table with its row, and training waits until they are fixed (train-panel.ts).
import { calibrationInputs, type PriorRow } from '../calibration-inputs';
import { clear, h } from '../dom';
import { appState } from '../state';

export function createPriorsTable(): HTMLElement {
  const body = h('tbody', {});
  const messages = h('ul', { id: 'priors-messages', class: 'mmm-muted' });
  const addButton = h('button', { class: 'mmm-button', id: 'add-prior', type: 'button' }, 'Add an ROI prior');
  const table = h('table', { class: 'mmm-table', hidden: true },
    h('thead', {}, h('tr', {}, ...['Channel', 'ROI', 'Spread (sd)'].map((c) => h('th', { scope: 'col' }, c)),
      h('th', { scope: 'col' }, h('span', { class: 'mmm-visually-hidden' }, 'Remove')))),
    body);
  const box = h('div', { id: 'priors-table', class: 'mmm-field' },
    h('h3', {}, 'ROI priors (optional)'),
    h('small', {}, 'What you believe a channel returns per unit of spend, with a spread (one standard deviation). No priors: the data alone decides.'),
    table,
    h('div', { class: 'mmm-actions mmm-actions-start' }, addButton),
    messages);

  const update = (i: number, patch: Partial<PriorRow>) => {
    const rows = calibrationInputs.priors.slice();
    rows[i] = { ...rows[i], ...patch };
    // Typing must not redraw the row being typed in: set quietly, then re-check the messages only.
    calibrationInputs.priors = rows;
    showMessages();
  };
  const showMessages = () => {
    const check = calibrationInputs.checkPriors(appState.dataset);
    clear(messages);
    for (const e of check?.errors ?? []) messages.append(h('li', {}, e.message.replace(/^row (\d+)/, (_, n) => `prior ${Number(n) - 1}`)));
    box.dataset.state = check?.errors.length ? 'invalid' : check ? 'valid' : 'empty';
  };
  const render = () => {
    const names = appState.dataset?.panel?.channelNames ?? [];
    clear(body);
    calibrationInputs.priors.forEach((r, i) => {
      const channel = h('select', { 'aria-label': `Channel of prior ${i + 1}`, class: 'mmm-prior-channel' },
        ...(names.includes(r.channel) || !r.channel ? [] : [h('option', { value: r.channel }, r.channel)]),
        ...names.map((n) => h('option', { value: n }, n)));
      channel.value = r.channel || names[0] || '';
      if (!r.channel && names[0]) calibrationInputs.priors[i] = { ...r, channel: names[0] };
      channel.addEventListener('change', () => update(i, { channel: channel.value }));
      const mean = h('input', { type: 'number', step: 'any', min: 0, value: r.mean, 'aria-label': `ROI of prior ${i + 1}`, class: 'mmm-prior-mean' });
      mean.addEventListener('input', () => update(i, { mean: mean.value }));
      const sd = h('input', { type: 'number', step: 'any', min: 0, value: r.sd, 'aria-label': `Spread of prior ${i + 1}`, class: 'mmm-prior-sd' });
      sd.addEventListener('input', () => update(i, { sd: sd.value }));
      const remove = h('button', { class: 'mmm-linkbutton', type: 'button', 'aria-label': `Remove prior ${i + 1}` }, 'Remove');
      remove.addEventListener('click', () => calibrationInputs.setPriors(calibrationInputs.priors.filter((_, j) => j !== i)));
      body.append(h('tr', {}, h('td', {}, channel), h('td', {}, mean), h('td', {}, sd), h('td', {}, remove)));
    });
    addButton.disabled = !names.length;
    table.hidden = calibrationInputs.priors.length === 0;
    showMessages();
  };
  addButton.addEventListener('click', () => calibrationInputs.setPriors([...calibrationInputs.priors, { channel: '', mean: '', sd: '' }]));
  calibrationInputs.subscribe(render);
  let shownPanel: unknown = null;
  appState.subscribe(() => {
    if (appState.dataset?.panel !== shownPanel) (shownPanel = appState.dataset?.panel ?? null), render();
  });
  render();
  return box;
}
