// Bundle checksums and fingerprints come from @noble/hashes, not crypto.subtle (which browsers
// withhold outside secure contexts): the digests match the standard, and a bundle is written and
// read back with no Web Crypto at all, as on a plain-HTTP intranet host.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BundleError, readBundle, sha256Hex, writeBundle } from '../../../web/src/export/bundle';

const nodeSha = (...parts: Uint8Array[]) => { const h = createHash('sha256'); for (const p of parts) h.update(p); return h.digest('hex'); };

function content() {
  const metrics = { r2: 0.9, r2_within: 0.8, rmse: 1, mae: 1, wape: 0.1, rel_error: 0.1, r2_region_median: 0.8 };
  return {
    fit: new Uint8Array([1, 2, 3, 4, 5, 250]),
    spend: new Float32Array([1.5, 2.5]),
    data: 'region,week,kpi\nNord-Pas-de-Calais,2024-01-01,3\n',
    meta: {
      app: { name: 'MMM Studio' as const, version: 'test' },
      createdAt: '2026-01-01T00:00:00.000Z',
      dataName: 'data.csv',
      fingerprint: sha256Hex(new Float32Array([1, 2, 3])),
      shape: { regions: 1, weeks: 1, channels: 2, controls: 0 },
      dates: ['2024-01-01'],
      mediaUnit: ['spend', 'spend'] as ('spend' | 'activity')[],
      mapping: null,
      settings: {},
      metrics: { train: metrics, holdout: metrics } as never,
      truth: null,
    },
  };
}

describe('sha256Hex', () => {
  it('gives the FIPS 180-2 digests', () => {
    expect(sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes several typed arrays as their concatenated bytes, respecting views into larger buffers', () => {
    const big = new Float32Array(1000).map((_, i) => Math.sin(i));
    const view = new Float32Array(big.buffer, 40, 100);
    const other = new Uint8Array(70_001).map((_, i) => i * 7);
    const expected = nodeSha(new Uint8Array(big.buffer, 40, 400), other);
    expect(sha256Hex(view, other)).toBe(expected);
  });
});

describe('bundles without crypto.subtle (plain-HTTP origin)', () => {
  afterEach(() => { vi.unstubAllGlobals(); });

  it('writes and reads a bundle with Web Crypto absent, and the stored checksum is the standard SHA-256', async () => {
    vi.stubGlobal('crypto', undefined);
    expect(globalThis.crypto).toBeUndefined();
    const bytes = await writeBundle(content());
    const body = bytes.subarray(0, bytes.byteLength - 32);
    expect(Buffer.from(bytes.subarray(bytes.byteLength - 32)).toString('hex')).toBe(nodeSha(body));
    const opened = await readBundle(bytes);
    expect(opened.data).toBe(content().data);
    expect(Array.from(opened.fit)).toEqual([1, 2, 3, 4, 5, 250]);
    expect(Array.from(opened.spend!)).toEqual([1.5, 2.5]);
  });

  it('still detects a modified byte with Web Crypto absent', async () => {
    vi.stubGlobal('crypto', undefined);
    const bytes = await writeBundle(content());
    bytes[bytes.byteLength - 40] ^= 1;
    await expect(readBundle(bytes)).rejects.toThrow(BundleError);
    await expect(readBundle(bytes)).rejects.toThrow(/checksum does not match/);
  });
});
