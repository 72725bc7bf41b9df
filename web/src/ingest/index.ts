// Public API of the ingest layer: CSV text → ParsedTable → inference → validation → PanelData.
// Pure TypeScript (no DOM): shared by the app, its workers and the CLI.

export type {
  Role,
  ColumnKind,
  ColumnGuess,
  ChannelMapping,
  Mapping,
  Severity,
  Issue,
  BadCell,
  ParsedColumn,
  ParsedTable,
  Frequency,
  Inference,
  PanelShape,
  ValidationReport,
  FillStats,
  PanelData,
} from './types';
export { IngestError } from './types';
export { parseCsvText, parseCsvBytes, decodeBytes, looksUtf8, sniff, CsvTableBuilder, type ParseOptions, type SniffResult } from './parse';
export { inferSchema, dummyName } from './infer';
export { validate, buildPanel, DEFAULT_HOLDOUT_WEEKS, MIN_TRAIN_WEEKS, type ValidateOptions } from './panel';
export { aggregateToWeekly, type AggregateResult } from './aggregate';
export { inspectJson, type InspectJson, type InspectIssue, type InspectOptions } from './inspect';
export {
  serializeMapping,
  parseMappingJson,
  applyMapping,
  headerFingerprint,
  saveMappingToStore,
  loadMappingFromStore,
  MAPPING_FORMAT,
  MAPPING_VERSION,
  type SavedMapping,
  type KeyValueStore,
} from './mapping-io';
export { isoDate, isoWeekOfYear, isoWeekStart, dayNumber } from './dates';
export { timeAxisFor, type TimeAxis } from './timeaxis';
export { cellText, columnOf, numericColumn, textColumn } from './table';
