// Tabs and panels. Each panel module renders into its own section and is told when it is shown.
import { h } from './dom';
import { mountAboutPanel } from './panels/about-panel';
import { mountDataPanel } from './panels/data-panel';
import { mountExportPanel } from './panels/export-panel';
import { mountResultsPanel } from './panels/results-panel';
import { mountTrainPanel } from './panels/train-panel';

interface PanelDef {
  id: string;
  label: string;
  /** Renders the panel; may return a hook called each time the panel is shown. */
  mount(section: HTMLElement): void | { onShow(): void };
}

const PANELS: PanelDef[] = [
  { id: 'data', label: 'Data', mount: mountDataPanel },
  { id: 'train', label: 'Train', mount: mountTrainPanel },
  { id: 'results', label: 'Results', mount: mountResultsPanel },
  { id: 'export', label: 'Export', mount: mountExportPanel },
  { id: 'about', label: 'About & engine', mount: mountAboutPanel },
];

export function mountShell(root: HTMLElement): void {
  const nav = root.querySelector('.mmm-tabs')!;
  const main = root.querySelector('#main')!;
  const tabs: HTMLButtonElement[] = [];
  const sections: HTMLElement[] = [];
  const hooks: ({ onShow(): void } | void)[] = [];

  const select = (index: number, focus = false) => {
    tabs.forEach((t, i) => {
      const on = i === index;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      sections[i].hidden = !on;
    });
    if (focus) tabs[index].focus();
    hooks[index]?.onShow();
  };

  PANELS.forEach((panel, i) => {
    const tab = h('button', {
      class: 'mmm-tab',
      role: 'tab',
      id: `tab-${panel.id}`,
      'aria-controls': `panel-${panel.id}`,
      'data-panel': panel.id,
      onclick: () => select(i),
    }, panel.label);
    // Arrow keys move between tabs (WAI-ARIA tabs pattern).
    tab.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowRight') select((i + 1) % PANELS.length, true);
      else if (e.key === 'ArrowLeft') select((i - 1 + PANELS.length) % PANELS.length, true);
    });
    const section = h('section', { id: `panel-${panel.id}`, role: 'tabpanel', 'aria-labelledby': `tab-${panel.id}` });
    nav.append(tab);
    main.append(section);
    tabs.push(tab);
    sections.push(section);
    hooks.push(panel.mount(section));
  });
  select(0);
}
