// The model bundle (.mmm): one versioned file holding a fitted model and what the app needs to
// show it again — bit-identical predictions and dashboards, no retraining.
//
// Layout (little-endian):
//   8 bytes   signature "MMMSTDIO"
//   u32       bundle format version (BUNDLE_FORMAT)
//   u32       length of the metadata JSON
//   …         metadata JSON (UTF-8): app version, creation time, data fingerprint, mapping,
//             settings, metrics, dates, the sections that follow (name, offset, length)
//   …         sections: "fit" (the core's fit-result bytes), "spend" (float32, optional),
//             "data" (the original CSV, only when the user chose to include it)
//   32 bytes  SHA-256 of everything before it
// A truncated, modified or newer-format file is rejected with a message saying which.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Mapping } from '../ingest/types';
import type { CalibrationReport } from '../calibration/report';
import type { StoredIntervals } from '../engine/ensemble';
import type { DemoTruthSummary, Metrics } from '../engine/results';

export const BUNDLE_FORMAT = 1;
export const BUNDLE_EXTENSION = '.mmm';
const SIGNATURE = 'MMMSTDIO';
const HEADER = 16;
const DIGEST = 32;

export interface BundleMeta {
  format: number;
  app: { name: 'MMM Studio'; version: string };
  createdAt: string;
  /** Name of the data the model was fitted on (file name or "Example data"). */
  dataName: string;
  /** SHA-256 of the panel (KPI and media inputs), to recognise the data later. */
  fingerprint: string;
  shape: { regions: number; weeks: number; channels: number; controls: number };
  dates: string[];
  mediaUnit: ('spend' | 'activity')[];
  mapping: Mapping | null;
  settings: Record<string, unknown>;
  metrics: { train: Metrics; holdout: Metrics };
  truth: DemoTruthSummary | null;
  /** The experiments and ROI priors the model was calibrated to, measured vs model (absent in
   * bundles saved before calibration existed, and for models fitted without them). */
  calibration?: CalibrationReport;
  /** Uncertainty intervals of an ensemble (engine/ensemble.ts; absent in older bundles and for
   * models without an estimate). */
  intervals?: StoredIntervals;
  includesData: boolean;
  sections: { name: string; offset: number; length: number }[];
}

export interface BundleContent {
  meta: BundleMeta;
  fit: Uint8Array;
  spend: Float32Array | null;
  /** The original CSV text, when included. */
  data: string | null;
}

export class BundleError extends Error {
  readonly code: 'NOT_A_BUNDLE' | 'NEWER_FORMAT' | 'TRUNCATED' | 'DAMAGED';
  constructor(code: BundleError['code'], message: string) {
    super(message);
    this.name = 'BundleError';
    this.code = code;
  }
}

/** SHA-256 of the parts, in order, as hex. @noble/hashes rather than `crypto.subtle`: browsers
 * offer `subtle` only in secure contexts (HTTPS or localhost), and the app must also save and open
 * bundles when served over plain HTTP on an intranet host. */
export function sha256Hex(...parts: ArrayBufferView[]): string {
  const hash = sha256.create();
  for (const p of parts) hash.update(new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
  return bytesToHex(hash.digest());
}

export async function writeBundle(content: Omit<BundleContent, 'meta'> & { meta: Omit<BundleMeta, 'format' | 'sections' | 'includesData'> }): Promise<Uint8Array> {
  const sections: { name: string; bytes: Uint8Array }[] = [{ name: 'fit', bytes: content.fit }];
  if (content.spend) sections.push({ name: 'spend', bytes: new Uint8Array(content.spend.buffer, content.spend.byteOffset, content.spend.byteLength) });
  if (content.data !== null) sections.push({ name: 'data', bytes: new TextEncoder().encode(content.data) });
  let offset = 0;
  const meta: BundleMeta = {
    ...content.meta,
    format: BUNDLE_FORMAT,
    includesData: content.data !== null,
    sections: sections.map((s) => {
      const entry = { name: s.name, offset, length: s.bytes.byteLength };
      offset += s.bytes.byteLength;
      return entry;
    }),
  };
  const json = new TextEncoder().encode(JSON.stringify(meta));
  const out = new Uint8Array(HEADER + json.byteLength + offset + DIGEST);
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(SIGNATURE), 0);
  view.setUint32(8, BUNDLE_FORMAT, true);
  view.setUint32(12, json.byteLength, true);
  out.set(json, HEADER);
  let at = HEADER + json.byteLength;
  for (const s of sections) {
    out.set(s.bytes, at);
    at += s.bytes.byteLength;
  }
  out.set(sha256(out.subarray(0, at)), at);
  return out;
}

export async function readBundle(bytes: Uint8Array): Promise<BundleContent> {
  const sig = new TextDecoder().decode(bytes.subarray(0, 8));
  if (bytes.byteLength < HEADER || sig !== SIGNATURE) {
    throw new BundleError('NOT_A_BUNDLE', 'This is not an MMM Studio model bundle (.mmm): its signature is missing. Drop a CSV file to load data, or a .mmm file saved by MMM Studio.');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = view.getUint32(8, true);
  if (format > BUNDLE_FORMAT) {
    throw new BundleError('NEWER_FORMAT', `This model was saved by a newer MMM Studio (bundle format ${format}; this app reads up to ${BUNDLE_FORMAT}). Update the app to open it.`);
  }
  const jsonLength = view.getUint32(12, true);
  if (HEADER + jsonLength + DIGEST > bytes.byteLength) {
    throw new BundleError('TRUNCATED', `The model bundle is truncated: it has ${bytes.byteLength} bytes, fewer than its header announces. Save or copy the file again.`);
  }
  let meta: BundleMeta;
  try {
    meta = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER, HEADER + jsonLength))) as BundleMeta;
  } catch {
    throw new BundleError('DAMAGED', 'The model bundle is damaged: its metadata cannot be read. Save or copy the file again.');
  }
  const payload = meta.sections.reduce((n, s) => n + s.length, 0);
  const expected = HEADER + jsonLength + payload + DIGEST;
  if (bytes.byteLength < expected) {
    throw new BundleError('TRUNCATED', `The model bundle is truncated: it should have ${expected} bytes but has ${bytes.byteLength}. Save or copy the file again.`);
  }
  if (bytes.byteLength > expected) {
    throw new BundleError('DAMAGED', `The model bundle is damaged: it has ${bytes.byteLength - expected} unexpected extra bytes.`);
  }
  const body = HEADER + jsonLength + payload;
  const digest = sha256(bytes.subarray(0, body));
  const stored = bytes.subarray(body);
  if (digest.some((b, i) => b !== stored[i])) {
    throw new BundleError('DAMAGED', 'The model bundle was modified or damaged: its checksum does not match its content. Use the original file.');
  }
  const section = (name: string) => {
    const s = meta.sections.find((x) => x.name === name);
    return s ? bytes.slice(HEADER + jsonLength + s.offset, HEADER + jsonLength + s.offset + s.length) : null;
  };
  const fit = section('fit');
  if (!fit) throw new BundleError('DAMAGED', 'The model bundle has no fitted model in it.');
  const spendBytes = section('spend');
  const dataBytes = section('data');
  return {
    meta,
    fit,
    spend: spendBytes ? new Float32Array(spendBytes.buffer, spendBytes.byteOffset, spendBytes.byteLength / 4) : null,
    data: dataBytes ? new TextDecoder().decode(dataBytes) : null,
  };
}

/** Quick check for a dropped file: does it start like a bundle? */
export function looksLikeBundle(head: Uint8Array): boolean {
  return head.byteLength >= 8 && new TextDecoder().decode(head.subarray(0, 8)) === SIGNATURE;
}
