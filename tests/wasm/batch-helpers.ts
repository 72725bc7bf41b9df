// Shared by the batch tests: summary.csv read back the way a user's tools read it.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';

/** summary.csv as the app's CSV writer makes it (BOM, CRLF), read back with its header. */
export function readSummary(file: string) {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });
  return { columns: parsed.meta.fields ?? [], rows: parsed.data };
}
