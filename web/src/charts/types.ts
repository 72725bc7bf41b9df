// Types shared by every chart builder and the view registry.
import type { TopLevelSpec } from 'vega-lite';
import type { ModelResults } from '../engine/results';

/** Weeks [from, to) of the results' time axis. */
export interface WeekRange {
  from: number;
  to: number;
}

/**
 * Options a view may read. Every field is optional; a view ignores the ones it does not list in
 * its `options` descriptor. Index fields refer to the order in ModelResults (regionNames,
 * channelNames).
 */
export interface ViewOptions {
  /** Name of the KPI for titles and axes, e.g. 'sales'. Default 'KPI'. */
  kpiLabel?: string;
  /** Unit of spend for axes, e.g. 'EUR'. Default 'spend'. */
  spendLabel?: string;
  /** Analysis window in weeks [from, to); default all weeks. */
  range?: WeekRange;
  /** One region (index), or null/undefined for all regions summed. */
  region?: number | null;
  /** One channel (index); default 0. */
  channel?: number;
  /** Total pixel width for compound (concat/facet) views, which cannot use width 'container'. */
  width?: number;
  // View-specific choices (see each view's `options` descriptor):
  /** contributions-over-time: 'all' components stacked, or 'media' only. */
  components?: 'all' | 'media';
  /** dag-network: node layout. */
  layout?: 'circle' | 'layered';
  /** dag-network: initial edge threshold (0..1), default 0.3. */
  threshold?: number;
  /** response-curves: 'relative' overlays all channels against a multiple of current spend;
   * 'absolute' draws small multiples in spend units. */
  scale?: 'relative' | 'absolute';
  /** regions: which fit measure to draw. */
  metric?: 'r2' | 'wape';
  /** regions: show at most this many regions (largest by actual KPI). Default 40. */
  top?: number;
  /** coefficients, contributions-over-time: most channels drawn as their own series (largest
   * contribution first; default 12). */
  maxSeries?: number;
  /** training: draw loss on a log scale (default true). */
  logLoss?: boolean;
}

export type OptionControl = 'region' | 'channel' | 'range' | 'select' | 'number' | 'boolean';

/** Describes one user-facing option of a view, so the app can draw the right control. */
export interface OptionDef {
  key: keyof ViewOptions;
  label: string;
  control: OptionControl;
  /** For 'select': the allowed values. */
  choices?: { value: string; label: string }[];
  /** For 'number': bounds. */
  min?: number;
  max?: number;
  step?: number;
  default?: string | number | boolean | null;
}

export type ViewGroup = 'fit' | 'contributions' | 'channels' | 'dag' | 'response' | 'budget' | 'regions' | 'diagnostics' | 'demo';

export type ViewId =
  | 'quality'
  | 'actual-vs-predicted'
  | 'holdout-scatter'
  | 'contribution-by-channel'
  | 'contribution-share'
  | 'waterfall'
  | 'contributions-over-time'
  | 'coefficients'
  | 'effectiveness'
  | 'dag-heatmap'
  | 'dag-network'
  | 'channel-detail'
  | 'scaled-inputs'
  | 'response-curves'
  | 'roi'
  | 'transforms'
  | 'budget'
  | 'regions'
  | 'residuals'
  | 'training'
  | 'truth'
  | 'spend-vs-effect'
  | 'experiments'
  | 'calibration-shift';

export interface ViewDef {
  id: ViewId;
  /** Short name for menus and tab labels. */
  title: string;
  /** What the view shows, in words (static text alternative; each spec also carries its own
   * data-specific `description`). */
  description: string;
  group: ViewGroup;
  build(results: ModelResults, options?: ViewOptions): TopLevelSpec;
  /** False when the results lack the data this view needs. */
  available(results: ModelResults): boolean;
  /** Why the view is unavailable (for a disabled tab's tooltip); '' when available. */
  unavailableReason(results: ModelResults): string;
  /** The options this view reads, for the app to render controls. */
  options?: OptionDef[];
}

/** What every spec carries in `usermeta`, for the exporters. */
export interface ChartMeta {
  viewId: ViewId;
  /** Name of the dataset (in `datasets`) whose rows are the chart's data for CSV export. */
  mainDataset: string;
}
