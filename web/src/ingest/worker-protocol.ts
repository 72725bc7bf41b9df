// Messages between the UI thread and parse.worker.ts.

import type { ParseOptions } from './parse';
import type { ParsedTable } from './types';

export type ParseWorkerRequest =
  | { type: 'parse'; id: number; file: Blob; options?: ParseOptions }
  | { type: 'cancel'; id: number };

export type ParseWorkerResponse =
  | { type: 'progress'; id: number; loaded: number; total: number }
  | { type: 'result'; id: number; table: ParsedTable; ms: number }
  | { type: 'error'; id: number; code: string; message: string };
