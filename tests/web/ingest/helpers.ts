import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { parseCsvBytes } from '../../../web/src/ingest/index';
import type { Issue, ParsedTable } from '../../../web/src/ingest/index';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = resolve(here, '../../fixtures/csv');
/** ../shared/data next to the repository (present on developer machines and CI, optional). */
export const SHARED_DATA = resolve(here, '../../../../shared/data');
export const hasSharedData = existsSync(resolve(SHARED_DATA, 'meridian/geo_all_channels.csv'));

export function fixturePath(name: string): string {
  return resolve(FIXTURES, name);
}

export function loadFixture(name: string): ParsedTable {
  return parseCsvBytes(new Uint8Array(readFileSync(fixturePath(name))));
}

export function loadShared(rel: string): ParsedTable {
  return parseCsvBytes(new Uint8Array(readFileSync(resolve(SHARED_DATA, rel))));
}

export function findIssue(issues: Issue[], code: string): Issue | undefined {
  return issues.find((i) => i.code === code);
}
