// Streaming parse of a Blob/File: read slices, decode incrementally (a multi-byte character cut
// at a slice boundary is carried over by TextDecoder), feed the CSV builder. No DOM; works in a
// Worker and in Node (Blob). Used by ingest.worker.ts.

import { CsvTableBuilder, looksUtf8, type ParseOptions } from './parse';
import { IngestError, type Issue, type ParsedTable } from './types';

export interface StreamProgress {
  loaded: number;
  total: number;
}

export interface StreamOptions extends ParseOptions {
  /** Bytes read per slice. */
  sliceBytes?: number;
  onProgress?(p: StreamProgress): void;
  /** Checked between slices. */
  signal?: { aborted: boolean };
}

/** Encoding from the first bytes: UTF-16 BOMs, valid UTF-8, else Windows-1252. */
export function detectEncoding(head: Uint8Array): string {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return looksUtf8(head) ? 'utf-8' : 'windows-1252';
}

export async function parseBlobStreaming(blob: Blob, opts: StreamOptions = {}): Promise<ParsedTable> {
  const slice = opts.sliceBytes ?? 4 * 1024 * 1024;
  const total = blob.size;
  const head = new Uint8Array(await blob.slice(0, Math.min(total, 1 << 16)).arrayBuffer());
  const encoding = detectEncoding(head);
  const issues: Issue[] = [];
  if (encoding === 'windows-1252') {
    issues.push({ code: 'NOT_UTF8', severity: 'warning', message: 'The file is not valid UTF-8; it was read as Windows-1252 (Latin-1). Check that accented names look right.' });
  }
  const decoder = new TextDecoder(encoding, { ignoreBOM: true });
  const builder = new CsvTableBuilder({ ...opts, encoding });
  let loaded = 0;
  let lastReport = 0;
  let pending = '';
  while (loaded < total) {
    if (opts.signal?.aborted) throw new IngestError('CANCELLED', 'Parsing was cancelled.');
    const end = Math.min(total, loaded + slice);
    const bytes = new Uint8Array(await blob.slice(loaded, end).arrayBuffer());
    loaded = end;
    let text = decoder.decode(bytes, { stream: loaded < total });
    if (encoding === 'utf-8' && text.includes('\uFFFD') && pending === '' && loaded > head.length) {
      // Invalid UTF-8 past the sniffed head: decoded with replacement characters.
      if (!issues.some((i) => i.code === 'INVALID_UTF8')) {
        issues.push({ code: 'INVALID_UTF8', severity: 'warning', message: 'Some bytes later in the file are not valid UTF-8; they are shown as �. Save the file as UTF-8.' });
      }
    }
    pending += text;
    text = '';
    if (pending.length >= 1 << 20 || loaded >= total) {
      builder.push(pending, false);
      pending = '';
    }
    const now = Date.now();
    if (opts.onProgress && (now - lastReport > 100 || loaded >= total)) {
      lastReport = now;
      opts.onProgress({ loaded, total });
    }
  }
  const tail = decoder.decode();
  builder.push(pending + tail, true);
  const table = builder.finish();
  table.issues.unshift(...issues);
  return table;
}
