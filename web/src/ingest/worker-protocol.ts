// Messages between the UI thread and ingest.worker.ts. One worker holds one loaded table: it parses
// the file, infers the schema, validates and builds the panel, and redoes the last two on every
// mapping edit, so none of that runs on the UI thread.

import type { ParseOptions } from './parse';
import type { LoadOutcome, MappingOutcome } from './session';
import type { Mapping } from './types';

export type IngestWorkerRequest =
  /** Parse a file (or pasted text as a Blob), then infer, validate and build the panel. */
  | { type: 'load'; id: number; file: Blob; options?: ParseOptions }
  /** Validate another mapping of the loaded table and build its panel. */
  | { type: 'apply'; id: number; mapping: Mapping }
  | { type: 'cancel'; id: number };

export type IngestWorkerResponse =
  | { type: 'progress'; id: number; loaded: number; total: number }
  | { type: 'loaded'; id: number; outcome: LoadOutcome; parseMs: number }
  | { type: 'applied'; id: number; outcome: MappingOutcome }
  | { type: 'error'; id: number; code: string; message: string };
