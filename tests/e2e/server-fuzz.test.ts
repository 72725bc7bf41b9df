// The static server (`npm start`, and every e2e server) under odd request paths, sent over raw
// sockets so that no client library normalises them first: each gets 400 or 404 (never a file
// from outside the served folder), and the server answers a good request after each one.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer } from '../../web/scripts/static-server.mjs';

const SECRET = 'TOP-SECRET-OUTSIDE-THE-ROOT';
const INDEX = '<!doctype html><title>served</title>';

interface RawResponse { status: number; head: string; body: string }

/** Sends `GET <target> HTTP/1.1` with the target's bytes exactly as given. */
function rawGet(port: number, target: Buffer | string): Promise<RawResponse> {
  const bytes: Buffer = Buffer.isBuffer(target) ? target : Buffer.from(target, 'latin1');
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(Buffer.concat([Buffer.from('GET '), bytes, Buffer.from(' HTTP/1.1\r\nHost: fuzz.test\r\nConnection: close\r\n\r\n')]));
    });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${JSON.stringify(bytes.toString('latin1').slice(0, 80))}`)));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? NaN);
      resolve({ status, head, body: rest.join('\r\n\r\n') });
    });
  });
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Paths assembled from the pieces path attacks are made of. */
function randomPaths(n: number, seed: number): string[] {
  const pieces = ['/', '..', '.', '%2e', '%2E', '%2f', '%2F', '%5c', '\\', '%00', '%0a', '%0d', '%25', '%252e', '%c0%ae', '%c0%af',
    '%e0%80%ae', '%ed%a0%80', '%ff', '%fe', '%e0%a4%a', '%', '%g1', 'secret.txt', 'index.html', 'sub', 'a', '~', ';', ':', '?x=..', '#frag', '%3f', '%23'];
  const rand = prng(seed);
  return Array.from({ length: n }, () => {
    let p = '/';
    const len = 1 + Math.floor(rand() * 12);
    for (let i = 0; i < len; i++) p += pieces[Math.floor(rand() * pieces.length)];
    return p;
  });
}

describe('static server under odd request paths', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startStaticServer>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmm-fuzz-'));
    const root = join(dir, 'root');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'index.html'), INDEX);
    writeFileSync(join(root, 'sub', 'index.html'), INDEX);
    writeFileSync(join(dir, 'secret.txt'), SECRET);
    writeFileSync(join(dir, 'root-secret.txt'), SECRET); // a sibling whose name starts like the root
    server = await startStaticServer({ mounts: [{ prefix: '/', dir: root }] });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const expectStillServing = async (after: string) => {
    const ok = await rawGet(server.port, '/index.html');
    expect(ok.status, `a good request after ${JSON.stringify(after.slice(0, 80))}`).toBe(200);
    expect(ok.body).toBe(INDEX);
  };

  it('regression: GET /%E0%A4%A (a truncated UTF-8 escape) gets 400 instead of crashing the server', async () => {
    const r = await rawGet(server.port, '/%E0%A4%A');
    expect(r.status).toBe(400);
    expect(r.body).toMatch(/malformed percent-encoding/);
    await expectStillServing('/%E0%A4%A');
  });

  const NAMED: [string, number][] = [
    ['/%', 400], ['/%G1', 400], ['/%FF', 400], ['/%C0%AE%C0%AE/secret.txt', 400], ['/%ED%A0%80', 400], ['/%E0%80%AE', 400],
    ['/%00', 400], ['/index.html%00.png', 400], ['/%0d%0aSet-Cookie:%20x=1', 400],
    ['/..', 400], ['/../secret.txt', 400], ['/sub/../../secret.txt', 400], ['/%2e%2e/secret.txt', 400], ['/%2E%2E%2Fsecret.txt', 400],
    ['/..%2fsecret.txt', 400], ['/..%5csecret.txt', 400], ['/..\\secret.txt', 400], ['/sub\\index.html', 400], ['/./index.html', 400],
    ['/%252e%252e/secret.txt', 404], ['/%252e%252e%252fsecret.txt', 404], ['/../root-secret.txt', 400], ['//secret.txt', 404],
    [`/${'a'.repeat(5000)}`, 400], [`/${'a/'.repeat(1500)}`, 400], ['*', 400], ['http://fuzz.test/index.html', 400],
  ];
  it.each(NAMED.map(([p, s]) => [p.length > 60 ? `${p.slice(0, 40)}… (${p.length} chars)` : p, p, s] as const))('GET %s, and the server keeps serving', async (_label, path, status) => {
    const r = await rawGet(server.port, path);
    expect(r.status).toBe(status);
    expect(r.body).not.toContain(SECRET);
    await expectStillServing(path);
  });

  it('raw bytes that are not valid in a request line are refused by the HTTP parser, and the server keeps serving', async () => {
    for (const target of [Buffer.from([0x2f, 0xff, 0xfe]), Buffer.from('/é', 'utf8'), Buffer.from([0x2f, 0x00, 0x61]), Buffer.from('/a b')]) {
      const r = await rawGet(server.port, target);
      expect(r.status).toBe(400);
      await expectStillServing(target.toString('latin1'));
    }
  });

  it('400 randomly assembled attack paths: only 400/404 (or 200 for a real file inside the root), never the secret', async () => {
    const statuses = new Map<number, number>();
    for (const path of randomPaths(400, 14)) {
      const r = await rawGet(server.port, path);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      expect([200, 400, 404], path).toContain(r.status);
      if (r.status === 200) expect(r.body, path).toBe(INDEX);
      expect(r.body, path).not.toContain(SECRET);
      await expectStillServing(path);
    }
    // The generator must actually reach both refusal kinds, or it tests little.
    expect(statuses.get(400)).toBeGreaterThan(50);
    expect(statuses.get(404)).toBeGreaterThan(5);
  });
});

describe('`npm start` server (web/scripts/serve.mjs)', () => {
  let child: ChildProcess;
  let port = 0;
  beforeAll(async () => {
    const serve = fileURLToPath(new URL('../../web/scripts/serve.mjs', import.meta.url));
    child = spawn(process.execPath, [serve], { env: { ...process.env, PORT: '0', HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c) => {
        out += c;
        const m = /running at http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code}: ${out}`)));
    });
  });
  afterAll(() => { child.kill(); });

  it('regression: GET /%E0%A4%A no longer stops `npm start`; the app is still served afterwards', async () => {
    for (const path of ['/%E0%A4%A', '/%00', '/../package.json', '/%2e%2e/%2e%2e/package.json']) {
      const r = await rawGet(port, path);
      expect(r.status, path).toBe(400);
    }
    expect(child.exitCode).toBeNull();
    const ok = await rawGet(port, '/');
    expect(ok.status).toBe(200);
    expect(ok.head).toMatch(/content-security-policy:/i);
    expect(ok.body).toMatch(/<!doctype html>/i);
  });
});
