#!/usr/bin/env node
// `npx mmm-studio …`: runs the bundled CLI (build/cli/mmm-studio.mjs, made by `npm start`,
// `npm test` or `npm run build:cli`) on the same wasm core as the app.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../../build/cli/mmm-studio.mjs', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  console.error('mmm-studio is not built yet: run `npm run build` (or `npm start` / `npm test`) in the repository first.');
  process.exit(2);
}
// A reader that stops early (`mmm-studio predict … | head`) closes the pipe: stop quietly, as Unix
// tools do, instead of an EPIPE stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));
