// Tabs and panels. Each panel module renders into its own section and is told when it is shown.
// The shell renders into any container: the page's #app (index.html) or the shadow root of
// <mmm-studio>. Element ids are the same in both (a shadow root scopes them).
import { provideCommand } from './commands';
import { appHost } from './host';
import { h } from './dom';
import { mountAboutPanel } from './panels/about-panel';
import { mountBudgetPanel } from './panels/budget-panel';
import { mountDataPanel } from './panels/data-panel';
import { mountExportPanel } from './panels/export-panel';
import { mountResultsPanel } from './panels/results-panel';
import { mountTrainPanel } from './panels/train-panel';
import { chooseTheme, currentTheme, onThemeChange, themeForced } from './theme-mode';

interface PanelDef {
  id: string;
  label: string;
  /** Renders the panel; may return a hook called each time the panel is shown. */
  mount(section: HTMLElement): void | { onShow(): void };
}

export const PANELS: PanelDef[] = [
  { id: 'data', label: 'Data', mount: mountDataPanel },
  { id: 'train', label: 'Train', mount: mountTrainPanel },
  { id: 'results', label: 'Results', mount: mountResultsPanel },
  { id: 'budget', label: 'Budget', mount: mountBudgetPanel },
  { id: 'export', label: 'Export', mount: mountExportPanel },
  { id: 'about', label: 'About & engine', mount: mountAboutPanel },
];

export interface ShellOptions {
  /** Inside <mmm-studio>: no page landmarks (<main>, banner, contentinfo), a smaller heading. */
  embedded?: boolean;
  /** The tab shown first (a PANELS id). */
  initialTab?: string;
}

export interface Shell {
  /** Shows a tab by id; unknown ids are ignored. */
  select(id: string, focus?: boolean): void;
  readonly current: string;
}

/** A "Dark mode" switch: flips the theme in effect and remembers the choice. Hidden while the
 * host fixes the theme (<mmm-studio theme="…">). */
function themeToggle(container: HTMLElement): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'mmm-button mmm-theme-toggle', id: 'theme-toggle', 'aria-pressed': 'false' }, 'Dark mode');
  button.addEventListener('click', () => chooseTheme(currentTheme() === 'dark' ? 'light' : 'dark'));
  const apply = () => {
    const t = currentTheme();
    container.dataset.theme = t;
    // The standalone page: scrollbars and the page around the app follow too (CSSOM, CSP-safe).
    if (container.getRootNode() === document) document.documentElement.style.colorScheme = t;
    button.setAttribute('aria-pressed', String(t === 'dark'));
    button.hidden = themeForced();
  };
  appHost().onUnmount(onThemeChange(apply));
  apply();
  return button;
}

/** Header with the tab list, the panel area (#main) and the status bar (#engine-status). */
function renderFrame(container: HTMLElement, embedded: boolean): { nav: HTMLElement; main: HTMLElement } {
  const nav = h('div', { class: 'mmm-tabs', role: 'tablist', 'aria-label': 'Workflow steps' });
  const main = h(embedded ? 'div' : 'main', { id: 'main', class: 'mmm-main' });
  const title = embedded ? h('h2', { class: 'mmm-title' }, 'MMM Studio') : h('h1', { class: 'mmm-title' }, 'MMM Studio');
  const header = h(embedded ? 'div' : 'header', { class: 'mmm-header' },
    title,
    h('p', { class: 'mmm-tagline' }, 'Marketing-mix modeling in your browser — your data never leaves this machine.'),
    nav);
  const status = h(embedded ? 'div' : 'footer', { class: 'mmm-statusbar' },
    h('div', { class: 'mmm-status-live', role: 'status', 'aria-live': 'polite' },
      h('span', { id: 'engine-status', class: 'mmm-engine-status', 'data-state': 'loading' }, 'Starting the engine…'),
      ' ',
      h('span', { id: 'engine-detail', class: 'mmm-engine-detail' })),
    // Last in the tab order: the workflow (tabs, then the panel) comes first for keyboard users.
    themeToggle(container),
    h('div', { id: 'app-update', class: 'mmm-app-update', hidden: true }));
  container.replaceChildren(header, main, status);
  return { nav, main };
}

export function mountShell(container: HTMLElement, opts: ShellOptions = {}): Shell {
  container.classList.add('mmm-app');
  const { nav, main } = renderFrame(container, opts.embedded ?? false);
  const tabs: HTMLButtonElement[] = [];
  const sections: HTMLElement[] = [];
  const hooks: ({ onShow(): void } | void)[] = [];
  let currentIndex = 0;

  const select = (index: number, focus = false) => {
    currentIndex = index;
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
      type: 'button',
      role: 'tab',
      id: `tab-${panel.id}`,
      'aria-controls': `panel-${panel.id}`,
      'data-panel': panel.id,
      onclick: () => select(i),
    }, panel.label);
    // Arrow keys move between tabs, Home/End jump to the ends (WAI-ARIA tabs pattern).
    tab.addEventListener('keydown', (e) => {
      const n = PANELS.length;
      const to = e.key === 'ArrowRight' ? (i + 1) % n : e.key === 'ArrowLeft' ? (i - 1 + n) % n : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : -1;
      if (to < 0) return;
      e.preventDefault();
      select(to, true);
    });
    const section = h('section', { id: `panel-${panel.id}`, class: 'mmm-tabpanel', role: 'tabpanel', 'aria-labelledby': `tab-${panel.id}` });
    nav.append(tab);
    main.append(section);
    tabs.push(tab);
    sections.push(section);
    hooks.push(panel.mount(section));
  });

  const selectId = (id: string, focus = false) => {
    const i = PANELS.findIndex((p) => p.id === id);
    if (i >= 0) select(i, focus);
  };
  provideCommand('showTab', (id) => selectId(id));
  select(Math.max(0, PANELS.findIndex((p) => p.id === opts.initialTab)));
  return {
    select: selectId,
    get current() {
      return PANELS[currentIndex].id;
    },
  };
}
