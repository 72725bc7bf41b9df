// Save and re-apply a mapping: download as JSON, load a JSON file, remember per file layout in
// localStorage (offered again when a file with the same header is opened).

import {
  applyMapping,
  loadMappingFromStore,
  parseMappingJson,
  saveMappingToStore,
  serializeMapping,
  type KeyValueStore,
} from '../../ingest/mapping-io';
import type { Issue, Mapping } from '../../ingest/types';

export interface MappingActionsOptions {
  /** Header of the current file. */
  columns: string[];
  getMapping(): Mapping;
  /** Called with the applied mapping (columns absent from this file dropped) and notes. */
  onApply(mapping: Mapping, issues: Issue[]): void;
  /** Defaults to window.localStorage when available. */
  store?: KeyValueStore | null;
  fileName?: string;
}

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function defaultStore(): KeyValueStore | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null;
  } catch {
    return null; // storage disabled (privacy mode, sandboxed iframe)
  }
}

let uid = 0;

export function renderMappingActions(container: HTMLElement, opts: MappingActionsOptions): { destroy(): void } {
  const doc = container.ownerDocument;
  const store = opts.store === undefined ? defaultStore() : opts.store;
  const id = `mmm-mapact-${++uid}`;
  container.replaceChildren();
  const bar = el(doc, 'div', 'mmm-mapping-actions');
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'Save or load the column mapping');
  const msg = el(doc, 'p', 'mmm-mapping-actions-msg');
  msg.setAttribute('role', 'status');
  msg.setAttribute('aria-live', 'polite');

  const download = el(doc, 'button', 'mmm-button', 'Download mapping (JSON)');
  download.type = 'button';
  download.addEventListener('click', () => {
    const text = serializeMapping(opts.getMapping(), opts.columns);
    const blob = new Blob([text], { type: 'application/json' });
    const url = URL.createObjectURL(blob);
    const a = el(doc, 'a');
    a.href = url;
    a.download = opts.fileName ?? 'mmm-mapping.json';
    doc.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    msg.textContent = 'Mapping downloaded.';
  });

  const fileInput = el(doc, 'input', 'mmm-visually-hidden');
  fileInput.type = 'file';
  fileInput.accept = 'application/json,.json';
  fileInput.id = `${id}-file`;
  fileInput.tabIndex = -1;
  fileInput.setAttribute('aria-hidden', 'true');
  const load = el(doc, 'button', 'mmm-button', 'Load mapping…');
  load.type = 'button';
  load.addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', async () => {
    const f = fileInput.files?.[0];
    fileInput.value = '';
    if (!f) return;
    try {
      const saved = parseMappingJson(await f.text());
      const { mapping, issues } = applyMapping(saved, { columns: opts.columns });
      opts.onApply(mapping, issues);
      msg.textContent = `Mapping from ${f.name} applied${issues.length ? ` with ${issues.length} note(s)` : ''}.`;
    } catch (e) {
      msg.textContent = `Could not load ${f.name}: ${(e as Error).message}`;
    }
  });

  const remember = el(doc, 'button', 'mmm-button', 'Remember for files like this');
  remember.type = 'button';
  remember.disabled = !store;
  remember.addEventListener('click', () => {
    if (!store) return;
    try {
      saveMappingToStore(store, opts.getMapping(), opts.columns);
      msg.textContent = 'Mapping remembered in this browser for files with the same columns.';
    } catch (e) {
      msg.textContent = `Could not save in this browser: ${(e as Error).message}`;
    }
  });
  bar.append(download, load, remember, fileInput);
  container.append(bar, msg);

  // Offer a remembered mapping for this layout.
  const saved = store ? loadMappingFromStore(store, opts.columns) : null;
  if (saved) {
    const offer = el(doc, 'div', 'mmm-mapping-offer');
    offer.setAttribute('role', 'region');
    offer.setAttribute('aria-label', 'Saved mapping available');
    offer.appendChild(el(doc, 'span', undefined, `A mapping saved${saved.savedAt ? ` on ${saved.savedAt.slice(0, 10)}` : ''} for files with these columns is available. `));
    const apply = el(doc, 'button', 'mmm-button mmm-button-primary', 'Apply saved mapping');
    apply.type = 'button';
    apply.addEventListener('click', () => {
      const { mapping, issues } = applyMapping(saved, { columns: opts.columns });
      opts.onApply(mapping, issues);
      offer.remove();
      msg.textContent = 'Saved mapping applied.';
    });
    offer.appendChild(apply);
    container.insertBefore(offer, bar);
  }
  return { destroy: () => container.replaceChildren() };
}
