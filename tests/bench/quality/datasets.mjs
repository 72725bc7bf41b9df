// Every dataset of the quality harness, its column mapping and its set, in one table.
//
// Sets are disjoint: defaults are chosen on `tuning`; the README reports `reporting`.
//   tuning     demo seeds 1-2, every generator variant at seed 1 (and its extraSeeds.tuning),
//              meridian/geo_media_rf, pymc/mmm_example
//   reporting  demo seeds 3-4, every generator variant at seed 2 (and its extraSeeds.reporting), meridian/geo_all_channels,
//              meridian/national_all_channels, pymc/mmm_roas_data, pymc/media_tvp_data,
//              param-recovery/growing_business
// Truth (weekly contribution per channel and region, KPI units) is known for the demo, the
// generator variants, mmm_roas_data (y − y0k, the counterfactual without channel k),
// media_tvp_data (x1_contribution, x2_contribution) and growing_business (the truth time series).
// Truth columns are never written to the file the model fits.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runDriver } from './driver.mjs';
import { VARIANTS, generateVariant } from './generators.mjs';
import { readLongCsv } from './panel-io.mjs';

export const DATA_DIR = process.env.MMM_DATA_DIR ?? join(root, '../shared/data');
const data = (rel) => join(DATA_DIR, rel);

// The demo at the app's "Try with example data" size.
export const DEMO_SHAPE = { regions: 50, weeks: 104, channels: 8, controls: 3 };

const spendChannels = (names, media = (n) => `${n}_spend`) => names.map((n) => ({ name: n, media: media(n), spend: `${n}_spend` }));

const csvDatasets = [
  {
    name: 'meridian/geo_all_channels',
    set: 'reporting',
    file: 'meridian/geo_all_channels.csv',
    spec: {
      region: 'geo', time: 'time', kpi: 'conversions',
      channels: [
        ...spendChannels(['Channel0', 'Channel1', 'Channel2', 'Channel3', 'Channel4']),
        { name: 'Organic_channel0', media: 'Organic_channel0_impression', spend: null },
      ],
      controls: ['competitor_sales_control', 'sentiment_score_control', 'Promo'],
    },
  },
  {
    name: 'meridian/geo_media_rf',
    set: 'tuning',
    file: 'meridian/geo_media_rf.csv',
    spec: {
      region: 'geo', time: 'time', kpi: 'conversions',
      channels: [
        ...spendChannels(['Channel0', 'Channel1', 'Channel2']),
        // Reach × frequency = impressions; its spend still prices it.
        { name: 'Channel3', media: (_row, num) => num('Channel3_reach') * num('Channel3_frequency'), spend: 'Channel3_spend' },
      ],
      controls: ['competitor_activity_score_control', 'sentiment_score_control'],
    },
  },
  {
    name: 'meridian/national_all_channels',
    set: 'reporting',
    file: 'meridian/national_all_channels.csv',
    spec: {
      region: null, time: 'time', kpi: 'conversions',
      channels: [
        ...spendChannels(['Channel0', 'Channel1', 'Channel2', 'Channel3', 'Channel4']),
        { name: 'Organic_channel0', media: 'Organic_channel0_impression', spend: null },
      ],
      controls: ['competitor_sales_control', 'sentiment_score_control', 'Promo'],
    },
  },
  {
    // `t` (trend index) and `dayofyear` are not controls: the model has its own trend and seasonality.
    name: 'pymc/mmm_example',
    set: 'tuning',
    file: 'pymc-marketing/mmm_example.csv',
    spec: {
      region: null, time: 'date_week', kpi: 'y',
      channels: [{ name: 'x1', media: 'x1', spend: 'x1' }, { name: 'x2', media: 'x2', spend: 'x2' }],
      controls: ['event_1', 'event_2'],
    },
  },
  {
    // The confounder z is left out, as an analyst would not have it. True ROAS over all weeks:
    // x1 93.4, x2 171.4 (the harness recomputes it over each origin's training weeks).
    name: 'pymc/mmm_roas_data',
    set: 'reporting',
    file: 'pymc-marketing/mmm_roas_data.csv',
    spec: {
      region: null, time: 'date', kpi: 'y',
      channels: [{ name: 'x1', media: 'x1', spend: 'x1' }, { name: 'x2', media: 'x2', spend: 'x2' }],
      controls: ['cs', 'cc'],
      truth: [
        { channel: 'x1', column: (_row, num) => num('y') - num('y01') },
        { channel: 'x2', column: (_row, num) => num('y') - num('y02') },
      ],
    },
  },
  {
    name: 'pymc/media_tvp_data',
    set: 'reporting',
    file: 'pymc-marketing/media_tvp_data.csv',
    spec: {
      region: null, time: 'date_week', kpi: 'y',
      channels: [{ name: 'x1', media: 'x1', spend: 'x1' }, { name: 'x2', media: 'x2', spend: 'x2' }],
      controls: ['event_1', 'event_2'],
      truth: [{ channel: 'x1', column: 'x1_contribution' }, { channel: 'x2', column: 'x2_contribution' }],
    },
  },
];

const GB_CHANNELS = ['x1_Search-Ads', 'x2_Search-Ads-Brand', 'x3_Video', 'x4_Social-Media', 'x5_Display-Ads', 'x6_Email'];

function loadGrowingBusiness() {
  const panel = readLongCsv({
    file: data('mmm-param-recovery/growing_business_inputs.csv'),
    region: 'geo', time: 'date', kpi: 'y',
    channels: GB_CHANNELS.map((n) => ({ name: n, media: n, spend: n })),
    controls: ['c1', 'c2'],
  });
  const truth = readLongCsv({
    file: data('mmm-param-recovery/growing_business_truth_timeseries.csv'),
    region: 'geo', time: 'date', kpi: 'base_sales',
    channels: GB_CHANNELS.map((n) => ({ name: n, media: `contribution_${n}`, spend: null })),
    controls: [],
  });
  if (truth.regions.join() !== panel.regions.join() || truth.dates.join() !== panel.dates.join())
    throw new Error('growing_business: the truth time series does not cover the same geos and dates as the inputs');
  panel.truth = { contribution: truth.channels.map((ch) => ch.media) };
  return panel;
}

async function loadDemo(seed, workDir) {
  const out = join(workDir, `demo-seed${seed}.csv`);
  const s = DEMO_SHAPE;
  await runDriver(['demo-csv', `out=${out}`, `data_seed=${seed}`, `regions=${s.regions}`, `weeks=${s.weeks}`, `channels=${s.channels}`, `controls=${s.controls}`]);
  const truth = JSON.parse(readFileSync(out.replace(/\.csv$/, '.truth.json'), 'utf8'));
  const names = truth.channels.map((c) => c.name);
  const head = readFileSync(out, 'utf8').slice(0, 4000).split('\n')[0].split(',');
  const panel = readLongCsv({
    file: out, region: 'region', time: 'date', kpi: 'kpi',
    channels: names.map((n) => ({ name: n, media: n, spend: n })),
    controls: head.slice(3 + names.length),
  });
  panel.truth = { contribution: names.map((n) => truth.contribution[n].map((row) => Float64Array.from(row))) };
  return panel;
}

/** All datasets: { name, set, truth (known?), source, load(workDir) → panel }. */
export function allDatasets() {
  const list = [];
  for (const d of csvDatasets)
    list.push({
      name: d.name, set: d.set, truth: !!d.spec.truth, source: d.file,
      load: async () => {
        if (!existsSync(data(d.file))) throw new Error(`${data(d.file)} not found (set MMM_DATA_DIR to the folder with the public datasets)`);
        return readLongCsv({ file: data(d.file), ...d.spec });
      },
    });
  list.push({
    name: 'param-recovery/growing_business', set: 'reporting', truth: true, source: 'mmm-param-recovery/growing_business_*',
    load: async () => loadGrowingBusiness(),
  });
  for (const seed of [1, 2, 3, 4])
    list.push({
      name: `demo/seed${seed}`, set: seed <= 2 ? 'tuning' : 'reporting', truth: true,
      source: `built-in demo ${DEMO_SHAPE.regions}×${DEMO_SHAPE.weeks}×${DEMO_SHAPE.channels}×${DEMO_SHAPE.controls}, seed ${seed}`,
      load: (workDir) => loadDemo(seed, workDir),
    });
  for (const v of VARIANTS) {
    const seeds = [
      ...[1, ...(v.extraSeeds?.tuning ?? [])].map((seed) => ({ seed, set: 'tuning' })),
      ...[2, ...(v.extraSeeds?.reporting ?? [])].map((seed) => ({ seed, set: 'reporting' })),
    ];
    for (const { seed, set } of seeds)
      list.push({
        name: `gen/${v.name}/seed${seed}`, set, truth: true,
        source: `generators.mjs: ${v.description}`,
        load: async () => generateVariant(v.name, seed),
      });
  }
  return list;
}
