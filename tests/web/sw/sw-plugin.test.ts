// The service worker generator: which files are kept offline, and a cache name that changes with
// every build (so an update never mixes two builds' files) but not between identical builds.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serviceWorkerPlugin } from '../../../web/scripts/sw-plugin.mjs';

const version = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version as string;
const dirs: string[] = [];

function fakeBuild(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmm-sw-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function run(dir: string, opts?: Parameters<typeof serviceWorkerPlugin>[0]) {
  const plugin = serviceWorkerPlugin(opts) as unknown as { configResolved(c: unknown): void; closeBundle(): void };
  plugin.configResolved({ build: { outDir: dir } });
  plugin.closeBundle();
}

function swOf(dir: string) {
  const text = readFileSync(join(dir, 'sw.js'), 'utf8');
  const build = /const BUILD = '([0-9a-f]+)'/.exec(text)![1];
  const precache = JSON.parse(/const PRECACHE = (\[[\s\S]*?\]);/.exec(text)![1]) as string[];
  return { text, build, precache };
}

const APP = {
  'index.html': '<!doctype html>',
  'assets/index-abc.js': 'console.log(1)',
  'assets/core.worker-def.js': 'self.onmessage = null',
  'wasm/core-st.wasm': 'wasm',
  'wasm/package.json': '{"type":"commonjs"}',
  'ort/ort-wasm-simd-threaded.wasm': 'big',
};

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('service worker plugin', () => {
  it('precaches the app files, leaves ort/ for first use and skips Node-only files', () => {
    const dir = fakeBuild(APP);
    run(dir);
    const sw = swOf(dir);
    expect(sw.precache).toEqual(['assets/core.worker-def.js', 'assets/index-abc.js', 'index.html', 'wasm/core-st.wasm']);
    expect(sw.text).toContain(`const VERSION = '${version}'`);
    expect(sw.text).not.toContain('__MMM_');
    // No automatic takeover: skipWaiting only on the page's message.
    expect(sw.text.match(/self\.skipWaiting\(\)/g)).toHaveLength(1);
    expect(sw.text).toMatch(/SKIP_WAITING'\) self\.skipWaiting\(\)/);
  });

  it('names the cache after the content: same files, same name; one changed byte, a new one', () => {
    const a = fakeBuild(APP);
    const b = fakeBuild(APP);
    const c = fakeBuild({ ...APP, 'wasm/core-st.wasm': 'wasm2' });
    for (const d of [a, b, c]) run(d);
    expect(swOf(a).build).toBe(swOf(b).build);
    expect(swOf(c).build).not.toBe(swOf(a).build);
    // Running twice (sw.js now exists in the folder) does not change the hash.
    run(a);
    expect(swOf(a).build).toBe(swOf(b).build);
  });

  it('writes a file list instead of sw.js for the embed', () => {
    const dir = fakeBuild({ 'mmm-studio.js': 'x', 'mmm-studio.d.ts': 'y', 'assets/core.worker-1.js': 'z', 'ort/ort.wasm': 'w' });
    run(dir, { manifestOnly: 'mmm-studio.files.json' });
    const m = JSON.parse(readFileSync(join(dir, 'mmm-studio.files.json'), 'utf8'));
    expect(m).toMatchObject({ version, precache: ['assets/core.worker-1.js', 'mmm-studio.js'], lazy: ['ort/ort.wasm'] });
    expect(m.cache).toBe(`mmm-studio-${version}-${m.build}`);
  });
});
