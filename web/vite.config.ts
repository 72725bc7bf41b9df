// The app build. Root is web/, static files (wasm, ort, icons) come from ../public untouched so the
// pthread worker script stays next to its glue. Headers: COOP/COEP (threads) and the strict CSP,
// sent by the dev server and by `vite preview` (MMM_COI=0 drops COOP/COEP to test the fallback).
// The <mmm-studio> custom element is a separate library build: vite.embed.config.ts.
import { defineConfig, defaultClientConditions } from 'vite';
import { fileURLToPath } from 'node:url';
import { securityHeaders } from './scripts/headers.mjs';
import { serviceWorkerPlugin } from './scripts/sw-plugin.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const isolated = process.env.MMM_COI !== '0';

export default defineConfig({
  root: here,
  base: './',
  publicDir: fileURLToPath(new URL('../public', import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL('../dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  worker: { format: 'es' },
  // dist/sw.js: keeps the app's own files for offline use (registered by src/app/sw-register.ts).
  plugins: [serviceWorkerPlugin()],
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  server: { port: 5173, strictPort: true, headers: securityHeaders({ isolated, csp: false }) },
  preview: { port: 5173, strictPort: true, headers: securityHeaders({ isolated, csp: true }) },
});
