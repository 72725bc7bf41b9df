// Stand-in for a portal's own service worker: <mmm-studio service-worker="portal-sw.js"> registers
// it (the element registers none by default). A real one could precache the element's files from
// mmm-studio.files.json.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
