// The standalone page: mounts the app shell into #app, starts the engine worker and (over
// http/https) registers the service worker that keeps the app working offline.
import './styles.css';
import { startEngine } from './engine-lifecycle';
import { createAppHost } from './host';
import { mountShell } from './shell';
import { setNumberLocale } from '../format/number';
import { alertBox } from './dom';
import { appState, exposeForDebugging } from './state';
import { registerServiceWorker } from './sw-register';

const container = document.getElementById('app')!;
createAppHost({ container, assetBase: new URL('./', document.baseURI).href });
exposeForDebugging();
mountShell(container);
// Numbers follow the browser's language; ?locale=de-DE overrides it.
try {
  setNumberLocale(new URLSearchParams(location.search).get('locale'));
} catch (err) {
  const message = `?locale: ${(err as Error).message}. Numbers use your browser's language instead.`;
  appState.recordError('INVALID_CONFIG', message);
  document.getElementById('main')?.prepend(alertBox('warning', 'Unknown locale in the address', message));
}
void startEngine().then(() => {
  // Not under the dev server (it has no sw.js): only the built app is kept offline.
  if (!import.meta.env.DEV) void registerServiceWorker(new URL('sw.js', document.baseURI).href);
});
