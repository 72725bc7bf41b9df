// Saving a file from the page (no server involved). The temporary link goes inside the app's own
// container, so an embedded <mmm-studio> never touches the host page's DOM.
import { appHost } from './host';

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  appHost().container.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function downloadText(text: string, filename: string, type = 'text/csv;charset=utf-8'): void {
  downloadBlob(new Blob([text], { type }), filename);
}

/** "geo_all_channels.csv (saved model x.mmm)" → "geo_all_channels". */
export function baseName(name: string): string {
  return name.replace(/\s*\(.*\)$/, '').replace(/\.[A-Za-z0-9]+$/, '').replace(/[^A-Za-z0-9_-]+/g, '-') || 'mmm';
}
