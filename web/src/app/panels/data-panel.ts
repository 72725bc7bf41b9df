// Data in: the drop zone, what was loaded, and (once parsed) the mapping and validation report.
import { alertBox, clear, h } from '../dom';
import { appState } from '../state';
import { createDropZone } from './drop-zone';

export function mountDataPanel(section: HTMLElement): void {
  const messages = h('div', { id: 'data-messages', 'aria-live': 'polite' });
  const loaded = h('div', { id: 'data-loaded' });

  const show = (el: HTMLElement) => {
    clear(messages);
    messages.append(el);
  };

  const zone = createDropZone({
    onFile: (file) => {
      show(alertBox('info', `Reading ${file.name}`, `${(file.size / 1e6).toFixed(2)} MB`));
    },
    onText: (text, name) => {
      show(alertBox('info', `Loaded ${name}`, `${text.length.toLocaleString()} characters`));
    },
    onDemo: () => {
      if (!appState.client) show(alertBox('warning', 'The engine is still starting', 'Try again in a moment.'));
    },
  });

  section.append(
    h('div', { class: 'mmm-panel' }, h('h2', {}, 'Load your data'), zone, messages),
    loaded,
  );
}
