// The dashboard registry: every view, how to build its spec from ModelResults, when it is
// available and which options it reads.
import type { ModelResults } from '../engine/results';
import { actualVsPredictedSpec } from './actual-vs-predicted';
import { budgetSpec } from './budget';
import { calibrationShiftAvailable, calibrationShiftSpec } from './calibration-shift';
import { channelDetailSpec } from './channel-detail';
import { coefficientsSpec } from './coefficients';
import { contributionByChannelSpec } from './contribution-by-channel';
import { contributionShareSpec } from './contribution-share';
import { contributionsOverTimeSpec } from './contributions-over-time';
import { dagHeatmapSpec } from './dag-heatmap';
import { dagNetworkSpec, DEFAULT_DAG_THRESHOLD } from './dag-network';
import { effectivenessSpec } from './effectiveness';
import { experimentsAvailable, experimentsSpec } from './experiments';
import { holdoutScatterSpec } from './holdout-scatter';
import { qualitySpec } from './quality';
import { regionsSpec } from './regions';
import { residualsSpec } from './residuals';
import { responseCurvesSpec } from './response-curves';
import { roiAvailable, roiSpec } from './roi';
import { scaledInputsSpec } from './scaled-inputs';
import { spendVsEffectAvailable, spendVsEffectSpec } from './spend-vs-effect';
import { trainingSpec } from './training';
import { transformsSpec } from './transforms';
import { truthSpec } from './truth';
import type { OptionDef, ViewDef, ViewId } from './types';
import { waterfallSpec } from './waterfall';

export type { ChartMeta, OptionDef, ViewDef, ViewGroup, ViewId, ViewOptions, WeekRange } from './types';

const REGION: OptionDef = { key: 'region', label: 'Region', control: 'region', default: null };
const RANGE: OptionDef = { key: 'range', label: 'Weeks', control: 'range', default: null };
const CHANNEL: OptionDef = { key: 'channel', label: 'Channel', control: 'channel', default: 0 };

type Check = (r: ModelResults) => string;

const hasWeeks: Check = (r) => (r.shape.weeks > 0 ? '' : 'The model has no weeks.');
const hasChannels: Check = (r) => (r.shape.channels > 0 && r.shape.weeks > 0 ? '' : 'The model has no media channels.');
const all =
  (...checks: Check[]): Check =>
  (r) => {
    for (const c of checks) {
      const why = c(r);
      if (why) return why;
    }
    return '';
  };

function view(def: Omit<ViewDef, 'available' | 'unavailableReason'> & { check: Check }): ViewDef {
  const { check, ...rest } = def;
  return { ...rest, available: (r) => check(r) === '', unavailableReason: check };
}

export const VIEWS: ViewDef[] = [
  view({
    id: 'quality',
    title: 'Model quality',
    description: 'A verdict on the forecasts, then training, validation (backtest) and holdout accuracy: pooled and within-region R², RMSE, MAE, WAPE, relative error, the train–holdout gap and skill against two naive forecasts, media’s share of the prediction, with the engine variant and fit time.',
    group: 'fit',
    check: () => '',
    build: qualitySpec,
  }),
  view({
    id: 'actual-vs-predicted',
    title: 'Actual vs predicted',
    description: 'Weekly actual and predicted KPI over time, for all regions summed or one region, with the holdout weeks, validation slice and burn-in shaded.',
    group: 'fit',
    check: hasWeeks,
    build: actualVsPredictedSpec,
    options: [REGION, RANGE],
  }),
  view({
    id: 'holdout-scatter',
    title: 'Holdout scatter',
    description: 'Actual against predicted KPI for every region-week in the holdout, with the 45° line of perfect prediction.',
    group: 'fit',
    check: all(hasWeeks, (r) => (r.trainEnd < r.shape.weeks ? '' : 'There are no holdout weeks.')),
    build: holdoutScatterSpec,
    options: [REGION],
  }),
  view({
    id: 'contribution-by-channel',
    title: 'Contribution by channel',
    description: 'Total KPI contributed by each media channel over the analysis window, largest first.',
    group: 'contributions',
    check: hasChannels,
    build: contributionByChannelSpec,
    options: [REGION, RANGE],
  }),
  view({
    id: 'contribution-share',
    title: 'Contribution share',
    description: 'Donut of the predicted KPI split into baseline, seasonality, controls and each media channel.',
    group: 'contributions',
    check: hasWeeks,
    build: contributionShareSpec,
    options: [REGION, RANGE],
  }),
  view({
    id: 'waterfall',
    title: 'Waterfall',
    description: 'How the predicted KPI builds up from the baseline through seasonality, controls and each channel to the total.',
    group: 'contributions',
    check: hasWeeks,
    build: waterfallSpec,
    options: [REGION, RANGE],
  }),
  view({
    id: 'contributions-over-time',
    title: 'Contributions over time',
    description: 'Stacked weekly contributions of every component (or the media channels only) with the actual KPI.',
    group: 'contributions',
    check: hasWeeks,
    build: contributionsOverTimeSpec,
    options: [
      REGION,
      RANGE,
      { key: 'components', label: 'Show', control: 'select', choices: [{ value: 'all', label: 'All components' }, { value: 'media', label: 'Media only' }], default: 'all' },
    ],
  }),
  view({
    id: 'coefficients',
    title: 'Time-varying coefficients',
    description: 'Each channel’s media coefficient over time (mean over regions or one region), with burn-in and holdout marked.',
    group: 'channels',
    check: hasChannels,
    build: coefficientsSpec,
    options: [REGION, RANGE],
  }),
  view({
    id: 'effectiveness',
    title: 'Channel effectiveness',
    description: 'Box plots of each channel’s coefficient across all regions and weeks after burn-in.',
    group: 'channels',
    check: hasChannels,
    build: effectivenessSpec,
    options: [RANGE],
  }),
  view({
    id: 'dag-heatmap',
    title: 'DAG heatmap',
    description: 'Heatmap of the learned channel-to-channel adjacency (row drives column).',
    group: 'dag',
    check: (r) => (r.shape.channels >= 2 ? '' : 'The DAG needs at least two channels.'),
    build: dagHeatmapSpec,
  }),
  view({
    id: 'dag-network',
    title: 'DAG network',
    description: 'Channels as nodes and learned edges above a threshold (slider) as arrows, width by strength.',
    group: 'dag',
    check: (r) => (r.shape.channels >= 2 ? '' : 'The DAG needs at least two channels.'),
    build: dagNetworkSpec,
    options: [
      { key: 'layout', label: 'Layout', control: 'select', choices: [{ value: 'circle', label: 'Circle' }, { value: 'layered', label: 'Layers' }], default: 'circle' },
      { key: 'threshold', label: 'Initial threshold', control: 'number', min: 0.05, max: 1, step: 0.01, default: DEFAULT_DAG_THRESHOLD },
    ],
  }),
  view({
    id: 'channel-detail',
    title: 'Channel detail',
    description: 'One channel’s spend or activity, its contribution and its coefficient over time.',
    group: 'channels',
    check: hasChannels,
    build: channelDetailSpec,
    options: [CHANNEL, REGION, RANGE],
  }),
  view({
    id: 'scaled-inputs',
    title: 'Scaled inputs',
    description: 'Heatmap of the normalised media and control inputs the model saw, by week.',
    group: 'channels',
    check: (r) => (r.shape.weeks > 0 && r.shape.channels + r.shape.controls > 0 ? '' : 'There are no inputs.'),
    build: scaledInputsSpec,
    options: [REGION, RANGE],
  }),
  view({
    id: 'response-curves',
    title: 'Response curves',
    description: 'Incremental KPI as each channel’s spend or activity is scaled from 0 to 3×, with the current level and half-saturation point marked.',
    group: 'response',
    check: (r) => (r.responseCurves.length > 0 ? '' : 'No response curves were computed.'),
    build: responseCurvesSpec,
    options: [
      { key: 'scale', label: 'Axis', control: 'select', choices: [{ value: 'relative', label: 'Relative to current' }, { value: 'absolute', label: 'Spend units (panels)' }], default: 'relative' },
    ],
  }),
  view({
    id: 'roi',
    title: 'ROI',
    description: 'Return on investment and marginal ROI per channel when spend is known; effect per 1,000 activity units otherwise.',
    group: 'response',
    check: (r) => (roiAvailable(r) ? '' : 'Neither spend nor activity is known for any channel.'),
    build: roiSpec,
  }),
  view({
    id: 'spend-vs-effect',
    title: 'Spend vs effect',
    description: 'Each channel’s share of spend next to its share of the media contribution.',
    group: 'response',
    check: (r) => (spendVsEffectAvailable(r) ? '' : 'No spend is known.'),
    build: spendVsEffectSpec,
  }),
  view({
    id: 'transforms',
    title: 'Adstock and saturation',
    description: 'Learned carry-over (adstock decay over lags 0–12) and Hill saturation (0–3× typical input) per channel.',
    group: 'response',
    check: all(hasChannels, (r) =>
      r.adstock.length === r.shape.channels && r.hillSlope.length === r.shape.channels && r.hillHalfSaturation.length === r.shape.channels ? '' : 'The transform parameters are missing.',
    ),
    build: transformsSpec,
  }),
  view({
    id: 'budget',
    title: 'Budget optimizer',
    description: 'Current vs optimal spend per channel and the predicted KPI of each plan, with the predicted uplift.',
    group: 'budget',
    check: (r) => (r.budget && r.budget.rows.length > 0 ? '' : 'No budget plan has been computed (needs spend).'),
    build: budgetSpec,
  }),
  view({
    id: 'regions',
    title: 'Regions',
    description: 'Per-region fit (R² or WAPE) and media share for the largest regions.',
    group: 'regions',
    check: all(hasWeeks, (r) => (r.shape.regions >= 2 ? '' : 'There is only one region.')),
    build: regionsSpec,
    options: [
      RANGE,
      { key: 'metric', label: 'Fit measure', control: 'select', choices: [{ value: 'r2', label: 'R²' }, { value: 'wape', label: 'WAPE' }], default: 'r2' },
      { key: 'top', label: 'Regions shown', control: 'number', min: 5, max: 200, step: 5, default: 40 },
    ],
  }),
  view({
    id: 'residuals',
    title: 'Residual diagnostics',
    description: 'Residuals over time, their distribution, and their autocorrelation at lags 1–26.',
    group: 'diagnostics',
    check: (r) => (r.shape.weeks >= 3 ? '' : 'Too few weeks for residual diagnostics.'),
    build: residualsSpec,
    options: [REGION, RANGE],
  }),
  view({
    id: 'training',
    title: 'Training monitor',
    description: 'Training and validation loss and R² by epoch.',
    group: 'diagnostics',
    check: (r) => (r.history.length > 0 ? '' : 'No training history was recorded.'),
    build: trainingSpec,
    options: [{ key: 'logLoss', label: 'Log-scale loss', control: 'boolean', default: true }],
  }),
  view({
    id: 'experiments',
    title: 'Experiments: measured vs model',
    description: 'For each lift test the model was calibrated to: the measured lift with one and two standard errors, and the model’s lift — the channel switched off in the test’s regions and weeks, counted until its carryover has faded (or over the readout the file gives) — before and after calibration.',
    group: 'channels',
    check: experimentsAvailable,
    build: experimentsSpec,
  }),
  view({
    id: 'calibration-shift',
    title: 'Calibration: ROI before and after',
    description: 'Every channel’s ROI over the whole data in the model fitted without the experiments and priors and in the calibrated model: what the tests moved, including channels no test measured.',
    group: 'channels',
    check: calibrationShiftAvailable,
    build: calibrationShiftSpec,
  }),
  view({
    id: 'truth',
    title: 'Recovered vs true',
    description: 'For simulated demo data: recovered vs true contribution shares, ROI and DAG edges.',
    group: 'demo',
    check: (r) => (r.truth ? '' : 'Only for simulated demo data with a known truth.'),
    build: truthSpec,
  }),
];

export function getView(id: ViewId): ViewDef {
  const v = VIEWS.find((x) => x.id === id);
  if (!v) throw new Error(`Unknown chart view '${id}'`);
  return v;
}

/** Views that can be drawn from these results. */
export function availableViews(results: ModelResults): ViewDef[] {
  return VIEWS.filter((v) => v.available(results));
}

/** True when the spec fills its container's width (single or layered view). */
export function isResponsive(spec: unknown): boolean {
  return !!spec && typeof spec === 'object' && (spec as { width?: unknown }).width === 'container';
}
