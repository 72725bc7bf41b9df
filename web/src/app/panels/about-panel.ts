// What engine runs and why, a self-check a user (or support) can run (a threaded computation),
// and the glossary. With ?debug only: a deliberate engine error that must come back as a readable
// message without breaking the app (it also fires <mmm-studio>'s `error` event on the host page).
import { EngineError } from '../../engine/errors';
import { formatInteger } from '../../format/number';
import { debugMode } from '../debug';
import { alertBox, clear, h } from '../dom';
import { renderGlossary } from '../glossary';
import { appState } from '../state';

export function mountAboutPanel(section: HTMLElement): void {
  const info = h('dl', { class: 'mmm-kv', id: 'build-info' });
  const output = h('div', { id: 'diagnostics-output', 'aria-live': 'polite' });

  const renderInfo = () => {
    clear(info);
    const init = appState.init;
    if (!init) {
      info.append(h('dt', {}, 'Engine'), h('dd', {}, appState.engineError ? appState.engineError.message : 'starting…'));
      return;
    }
    const b = init.buildInfo;
    const rows: [string, string][] = [
      ['Variant', init.variant],
      ['Why', appState.variantReason],
      ['Threads', b.threads ? `on (pool of ${b.maxThreads}, using ${init.threads})` : 'off'],
      ['SIMD', b.simd ? 'on (WebAssembly SIMD128)' : 'off'],
      ['Eigen', b.eigen],
      ['Compiler', b.compiler],
      ['Core version', b.version],
      ['Engine load time', `${formatInteger(init.loadMs)} ms`],
    ];
    for (const [k, v] of rows) info.append(h('dt', {}, k), h('dd', { 'data-key': k }, v));
  };

  const run = async (label: string, fn: () => Promise<string>) => {
    clear(output);
    output.append(h('p', {}, `${label}…`));
    try {
      const text = await fn();
      clear(output);
      output.append(alertBox('info', label, text));
    } catch (err) {
      const e = err instanceof EngineError ? err : new EngineError('INTERNAL', String(err));
      appState.recordError(e.code, e.message);
      clear(output);
      output.append(alertBox('error', `${label}: the engine reported ${e.code}`, e.message));
    }
  };

  const checkThreads = h('button', { class: 'mmm-button', id: 'check-threads', onclick: () => run('Engine check', async () => {
    const client = appState.client!;
    const n = 2_000_000;
    const r = await client.call('threadedSum', { n, threads: appState.init!.threads });
    const expected = (n * (n - 1)) / 2;
    if (r.sum !== expected) throw new EngineError('NUMERIC_FAILURE', `sum was ${r.sum}, expected ${expected}`);
    return `The engine computed a ${r.threads}-thread reduction correctly (${r.distinctWorkers} worker thread(s) took part).`;
  }) }, 'Run engine check');
  const debug = debugMode();
  const checkErrors = !debug ? null : h('button', { class: 'mmm-button', id: 'check-errors', onclick: () => run('Error handling check', async () => {
    await appState.client!.call('raiseForTest', { kind: 'invalid-data' });
    return 'unexpected: no error';
  }) }, 'Test error handling');

  const sync = () => {
    renderInfo();
    checkThreads.disabled = !appState.client;
    if (checkErrors) checkErrors.disabled = !appState.client;
  };
  appState.subscribe(sync);
  sync();

  section.append(
    h('div', { class: 'mmm-panel' },
      h('h2', {}, 'Engine'),
      info,
      h('div', { class: 'mmm-actions mmm-actions-start' }, checkThreads, checkErrors),
      output,
    ),
    h('div', { class: 'mmm-panel' },
      h('h2', {}, 'Privacy'),
      h('p', {}, 'Everything runs in this browser tab: parsing, training, dashboards and exports. The app sends no request to any other server, and your data is never uploaded.'),
    ),
    renderGlossary(),
  );
}
