// Drag-and-drop anywhere on the page, a file picker, and "paste CSV". Hands files and text to the
// callbacks; never loses what is already loaded when a new drop fails.
import { h } from '../dom';
import { appHost } from '../host';

export interface DropZoneCallbacks {
  onFile(file: File): void;
  onText(text: string, name: string): Promise<void>;
  onDemo(): void;
}

export function createDropZone(cb: DropZoneCallbacks): HTMLElement {
  const input = h('input', { type: 'file', accept: '.csv,.tsv,.txt,.mmm,text/csv', id: 'file-input', class: 'mmm-visually-hidden', 'aria-label': 'Choose a CSV file', tabindex: -1 });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) cb.onFile(file);
    input.value = '';
  });

  const paste = h('textarea', { class: 'mmm-paste', id: 'paste-text', 'aria-label': 'Paste CSV text', placeholder: 'week,region,tv_spend,search_spend,sales\n2024-01-01,North,1200,300,5400\n…' });
  const pasteBox = h('div', { hidden: true, id: 'paste-box' },
    paste,
    h('div', { class: 'mmm-actions mmm-actions-start' },
      h('button', { class: 'mmm-button mmm-primary', id: 'paste-load', onclick: () => { if (paste.value.trim()) void cb.onText(paste.value, 'pasted data'); } }, 'Load pasted data'),
      h('button', { class: 'mmm-button', onclick: () => { pasteBox.hidden = true; } }, 'Cancel'),
    ),
  );

  const zone = h('div', { class: 'mmm-dropzone', id: 'drop-zone' },
    h('p', { class: 'mmm-drop-title' }, 'Drop a CSV file anywhere on this page'),
    h('p', { class: 'mmm-drop-hint' }, 'Weekly spend or impressions per channel, controls, and a KPI — one row per week (and region, for regional data).'),
    h('div', { class: 'mmm-actions' },
      h('button', { class: 'mmm-button mmm-primary', id: 'choose-file', onclick: () => input.click() }, 'Choose file…'),
      h('button', { class: 'mmm-button', id: 'paste-csv', onclick: () => { pasteBox.hidden = false; paste.focus(); } }, 'Paste CSV'),
      h('button', { class: 'mmm-button', id: 'try-demo', onclick: () => cb.onDemo() }, 'Try with example data'),
    ),
    input,
  );

  // The whole page (or the whole <mmm-studio> element) is a drop target; the zone highlights
  // while something is dragged over it.
  let depth = 0;
  const { dropTarget: target, container: app } = appHost();
  target.addEventListener('dragenter', (e) => { if (hasFiles(e)) { depth++; app.classList.add('mmm-dragging'); e.preventDefault(); } });
  target.addEventListener('dragleave', () => { depth = Math.max(0, depth - 1); if (depth === 0) app.classList.remove('mmm-dragging'); });
  target.addEventListener('dragover', (e) => { if (hasFiles(e)) e.preventDefault(); });
  target.addEventListener('drop', (e) => {
    depth = 0;
    app.classList.remove('mmm-dragging');
    const file = e.dataTransfer?.files?.[0];
    if (!file) return;
    e.preventDefault();
    cb.onFile(file);
  });

  return h('div', {}, zone, pasteBox);
}

function hasFiles(e: DragEvent): boolean {
  return !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
}
