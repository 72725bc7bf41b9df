// What a big file will cost, said before the user waits: reading time from the file size, training
// time and memory from the panel's shape. The rates are measurements, named where they come from.

/**
 * Reading speed from the drop to the mapping table (parse, inference, validation and panel build in
 * the ingest worker): 7.2–11.0 MB/s, median 9.5, over 7 runs in Chromium on the shared 2-vCPU
 * development machine with the 127 MB, 2,000-region × 156-week × 30-channel file of
 * tests/e2e/big-file.test.ts.
 */
export const READ_MB_PER_SECOND = 9;

/** Files above this size get a notice before reading: over ~4 s of waiting at that speed. */
export const BIG_FILE_BYTES = 40e6;

// `npm run bench` (README, "The model, measured"): default fit of 190 regions × 109 weeks ×
// (13 channels + 7 controls) in wasm, one thread.
const BENCH_CELLS = 190 * 109 * (13 + 7);
const BENCH_FIT_SECONDS = 15.9;
const BENCH_HEAP_MB = 208;
/** A wasm32 engine cannot address more memory than this. */
const WASM_MAX_MB = 4096;

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

function megabytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.round(bytes / 1e6)} MB`;
}

/** A notice for files above BIG_FILE_BYTES, else null. */
export function readNotice(bytes: number): string | null {
  if (bytes <= BIG_FILE_BYTES) return null;
  const seconds = bytes / 1e6 / READ_MB_PER_SECOND;
  return `This ${megabytes(bytes)} file takes about ${duration(seconds)} to read on a 2-core computer (less on a faster one). The page stays usable meanwhile, and Cancel keeps the data loaded before.`;
}

export interface TrainCost {
  seconds: number;
  heapMB: number;
  /** More memory than a wasm32 engine can address. */
  tooBig: boolean;
}

/** Training time and engine memory, scaled linearly in region-weeks × inputs from the benchmark. */
export function trainCost(shape: { regions: number; weeks: number; channels: number; controls: number }): TrainCost {
  const cells = shape.regions * shape.weeks * (shape.channels + shape.controls);
  const ratio = cells / BENCH_CELLS;
  const heapMB = BENCH_HEAP_MB * ratio;
  return { seconds: BENCH_FIT_SECONDS * ratio, heapMB, tooBig: heapMB > WASM_MAX_MB };
}

/** A notice when the default fit would take over a minute or over 1 GB, else null. */
export function trainNotice(shape: { regions: number; weeks: number; channels: number; controls: number }): string | null {
  const c = trainCost(shape);
  if (c.seconds < 60 && c.heapMB < 1024) return null;
  const size = `${shape.regions} regions × ${shape.weeks} weeks × ${shape.channels} channels × ${shape.controls} controls`;
  const est = `Training this panel (${size}) takes about ${duration(c.seconds)} and about ${megabytes(c.heapMB * 1e6)} of memory with the default settings (scaled from the 190-region benchmark).`;
  return c.tooBig
    ? `${est} That is more than the 4 GB a browser engine can use: train on fewer regions (for example the largest ones) or fewer channels.`
    : est;
}
