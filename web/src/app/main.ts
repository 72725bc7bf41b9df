// The standalone page: mounts the app shell into #app, starts the engine worker and (over
// http/https) registers the service worker that keeps the app working offline.
import './styles.css';
import { startEngine } from './engine-lifecycle';
import { createAppHost } from './host';
import { mountShell } from './shell';
import { exposeForDebugging } from './state';
import { registerServiceWorker } from './sw-register';

const container = document.getElementById('app')!;
createAppHost({ container, assetBase: new URL('./', document.baseURI).href });
exposeForDebugging();
mountShell(container);
void startEngine().then(() => {
  // Not under the dev server (it has no sw.js): only the built app is kept offline.
  if (!import.meta.env.DEV) void registerServiceWorker(new URL('sw.js', document.baseURI).href);
});
