// What the ingest worker does with a parsed table, kept free of Worker and DOM APIs so it is unit
// tested in Node: infer the schema, validate a mapping and build the panel the engine trains on.
// The table stays here (in the worker); the UI thread gets the inference, the report and the panel.

import type { PanelSpec } from '../engine/core-types';
import { inferSchema } from './infer';
import { buildPanel, validate } from './panel';
import { IngestError, type Inference, type Mapping, type ParsedTable, type ValidationReport } from './types';

export interface MappingOutcome {
  report: ValidationReport;
  /** The panel to train on; null while the mapping has blocking errors. */
  panel: PanelSpec | null;
}

export interface LoadOutcome extends MappingOutcome {
  inference: Inference;
  columns: string[];
  rowCount: number;
  /** Milliseconds spent in inference, validation and the panel build. */
  ms: { infer: number; validate: number; panel: number };
}

/** Validates `mapping` and, when nothing blocks, builds the panel. */
export function applyMappingTo(table: ParsedTable, mapping: Mapping, ms?: LoadOutcome['ms']): MappingOutcome {
  let t = performance.now();
  let report = validate(table, mapping);
  if (ms) ms.validate = performance.now() - t;
  let panel: PanelSpec | null = null;
  if (report.canTrain) {
    t = performance.now();
    try {
      const p = buildPanel(table, mapping);
      panel = {
        regions: p.regions, weeks: p.weeks, channels: p.channels, controls: p.controls,
        media: p.media, spend: p.spend, controlValues: p.controlValues, kpi: p.kpi,
        regionNames: p.regionNames, channelNames: p.channelNames, controlNames: p.controlNames,
        dates: p.dates, weekOfYear: p.weekOfYear,
      };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      report = { ...report, canTrain: false, blocking: [...report.blocking, message],
        errors: [...report.errors, { code: err instanceof IngestError ? err.code : 'PANEL_FAILED', severity: 'error', message }] };
    }
    if (ms) ms.panel = performance.now() - t;
  }
  return { report, panel };
}

/** Inference, then validation and the panel for the inferred mapping. */
export function loadTable(table: ParsedTable): LoadOutcome {
  const ms = { infer: 0, validate: 0, panel: 0 };
  const t = performance.now();
  const inference = inferSchema(table);
  ms.infer = performance.now() - t;
  return { inference, columns: table.columns, rowCount: table.rowCount, ...applyMappingTo(table, inference.mapping, ms), ms };
}

/** Typed-array buffers of a panel, for postMessage transfer lists. */
export function panelTransferables(p: PanelSpec | null): ArrayBuffer[] {
  if (!p) return [];
  const out = new Set<ArrayBuffer>();
  for (const a of [p.media, p.spend, p.controlValues, p.kpi, p.weekOfYear]) {
    if (a && !Array.isArray(a) && a.buffer instanceof ArrayBuffer) out.add(a.buffer);
  }
  return [...out];
}
