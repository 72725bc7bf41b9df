// The embed build: <mmm-studio> and <mmm-chart> as one ES module library (npm run build:embed).
//
// dist-embed/
//   mmm-studio.js        the elements (app, charts, styles: everything but the workers)
//   mmm-studio.d.ts      the public types (src/embed/types.ts, shipped as is)
//   assets/*.js          the engine and parse workers, found relative to mmm-studio.js
//   wasm/, ort/          the engine (and ONNX Runtime) files, found through `base-url`
//   mmm-studio.files.json  the files above with a build hash, for a portal's own service worker
//
// Worker URLs: Vite builds `new Worker(new URL('./x.ts', import.meta.url))` as a separate file in
// library mode too (format 'es'), referenced relative to the importing module, so they resolve
// wherever the folder is served (verified by tests/e2e/embed.test.ts under a sub-path).
// CSS: every `import './x.css'` in the app becomes a string handed to registerCss(), adopted by
// each element's shadow root; no CSS file is emitted and nothing is added to the host page.
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, defaultClientConditions, transformWithEsbuild, type Plugin } from 'vite';
import { serviceWorkerPlugin } from './scripts/sw-plugin.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist-embed', import.meta.url));
const registry = fileURLToPath(new URL('./src/embed/styles.ts', import.meta.url));
const PREFIX = '\0mmm-shadow-css:';

/** `import './x.css'` → `registerCss(<the CSS as text>)` for the shadow roots. */
function shadowCss(): Plugin {
  return {
    name: 'mmm-shadow-css',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || !/\.css$/.test(source) || importer.startsWith(PREFIX)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      // The id must not end in .css, or Vite's CSS plugin would treat the wrapper as CSS.
      return resolved ? `${PREFIX}${resolved.id}.mjs` : null;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const file = id.slice(PREFIX.length, -'.mjs'.length);
      return `import css from ${JSON.stringify(`${file}?inline`)};\nimport { registerCss } from ${JSON.stringify(registry)};\nregisterCss(css);\n`;
    },
  };
}

/** Library builds in 'es' format keep whitespace (for re-bundling); this file is served as is, so
 * minify it fully, after every other plugin has rendered it. */
function minifyEs(): Plugin {
  return {
    name: 'mmm-minify-es',
    apply: 'build',
    enforce: 'post',
    async generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const out = await transformWithEsbuild(chunk.code, chunk.fileName, { minify: true, format: 'esm', target: 'es2022', legalComments: 'none' });
        chunk.code = out.code;
      }
    },
  };
}

/** Ships the public types next to the module. */
function shipTypes(): Plugin {
  return {
    name: 'mmm-ship-types',
    apply: 'build',
    closeBundle() {
      mkdirSync(outDir, { recursive: true });
      copyFileSync(fileURLToPath(new URL('./src/embed/types.ts', import.meta.url)), `${outDir}/mmm-studio.d.ts`);
    },
  };
}

export default defineConfig({
  root: here,
  base: './',
  publicDir: fileURLToPath(new URL('../public', import.meta.url)),
  // Libraries keep process.env.NODE_ENV for their consumers; this bundle is the final one.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    copyPublicDir: true,
    chunkSizeWarningLimit: 2500,
    lib: {
      entry: fileURLToPath(new URL('./src/embed/index.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'mmm-studio.js',
    },
    rollupOptions: {
      output: {
        // One file for the elements: the default base URL is the folder of mmm-studio.js.
        inlineDynamicImports: true,
      },
    },
  },
  worker: { format: 'es', plugins: () => [minifyEs()] },
  plugins: [shadowCss(), minifyEs(), shipTypes(), serviceWorkerPlugin({ manifestOnly: 'mmm-studio.files.json' })],
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
});
