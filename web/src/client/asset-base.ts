// Where the app's static engine files live (the folder holding wasm/ and ort/). The standalone
// page uses its own folder; <mmm-studio> sets its `base-url` (or the folder of mmm-studio.js).
// DOM-free modules that load such files (e.g. ONNX Runtime's wasm) ask here instead of reading
// document.baseURI, which in an embedded element is the host page's folder.
let base: string | null = null;

export function setAssetBase(url: string): void {
  base = url.endsWith('/') ? url : `${url}/`;
}

/** Absolute URL of the asset folder, ending with '/'. */
export function assetBase(): string {
  if (base) return base;
  if (typeof document !== 'undefined') return new URL('./', document.baseURI).href;
  return './';
}

/** URL of a file or folder inside the asset folder, e.g. assetUrl('ort/'). */
export function assetUrl(path: string): string {
  return new URL(path, assetBase()).href;
}
