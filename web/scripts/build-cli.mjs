// Bundles the CLI (web/cli/main.ts and the web/src modules it shares with the app) into one
// Node ESM file, build/cli/mmm-studio.mjs. The wasm stays in public/wasm and is loaded at run time.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
await build({
  entryPoints: [`${root}web/cli/main.ts`],
  outfile: `${root}build/cli/mmm-studio.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Node built-ins stay imports; npm packages the CLI uses (papaparse) are bundled.
  banner: { js: "import { createRequire as __mmmCreateRequire } from 'node:module'; const require = __mmmCreateRequire(import.meta.url);" },
});
