// Files named the way PyMC-Marketing, Meridian, Robyn and DeepCausalMMM name their columns map with no
// manual edit: the full mapping of each naming-style fixture (make_naming_fixtures.py) is asserted,
// then the real public files in ../shared/data when they are present.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferSchema, validate, type Mapping } from '../../../web/src/ingest/index';
import { loadFixture, loadShared, SHARED_DATA } from './helpers';

const spend = (name: string, column: string) => ({ name, spend: column, activity: null });

function mapped(file: string, load = loadFixture) {
  const table = load(file);
  const inference = inferSchema(table);
  const report = validate(table, inference.mapping);
  return { inference, report, reason: (c: string) => inference.guesses.find((g) => g.column === c)!.reason };
}

describe('naming styles of other MMM tools (fixtures)', () => {
  it('PyMC-Marketing: date, geo, y, x1_Search-Ads … x8_Affiliate, c1 … c4 (regression: was refused with "No media channel is mapped")', () => {
    const { inference, report, reason } = mapped('style_pymc_marketing.csv');
    expect(inference.mapping).toEqual<Mapping>({
      time: 'date', region: 'geo', kpi: 'y',
      channels: [
        spend('Search-Ads', 'x1_Search-Ads'), spend('Search-Ads-Brand', 'x2_Search-Ads-Brand'), spend('Video', 'x3_Video'),
        spend('Social-Media', 'x4_Social-Media'), spend('Display-Ads', 'x5_Display-Ads'), spend('Email', 'x6_Email'),
        spend('Influencer', 'x7_Influencer'), spend('Affiliate', 'x8_Affiliate'),
      ],
      controls: ['c1', 'c2', 'c3', 'c4'], ignored: [], revenuePerKpi: null, dummies: {},
    });
    expect(report.errors).toEqual([]);
    expect(reason('x2_Search-Ads-Brand')).toMatch(/brand search channel.*PyMC-Marketing/);
    expect(reason('x3_Video')).toMatch(/"video" names an online video channel/);
  });

  it('Meridian: ChannelN_impression/_spend, reach × frequency, organic, *_control, revenue_per_conversion', () => {
    const { inference, report, reason } = mapped('style_meridian.csv');
    expect(inference.mapping).toEqual<Mapping>({
      time: 'time', region: 'geo', kpi: 'conversions',
      channels: [
        { name: 'Channel0', spend: 'Channel0_spend', activity: 'Channel0_impression' },
        { name: 'Channel1', spend: 'Channel1_spend', activity: 'Channel1_impression' },
        { name: 'Channel2', spend: 'Channel2_spend', activity: null, reach: 'Channel2_reach', frequency: 'Channel2_frequency' },
        { name: 'Organic_channel0', spend: null, activity: 'Organic_channel0_impression' },
      ],
      controls: ['Promo', 'competitor_sales_control', 'sentiment_score_control'],
      ignored: ['Unnamed: 0', 'population'], revenuePerKpi: 'revenue_per_conversion', dummies: {},
    });
    expect(report.errors).toEqual([]);
    expect(reason('Channel2_reach')).toMatch(/reach × frequency/);
  });

  it('Robyn: _S spend, _I / _P activity, competitor_sales_B, events factor, organic newsletter', () => {
    const { inference, report, reason } = mapped('style_robyn.csv');
    expect(inference.mapping).toEqual<Mapping>({
      time: 'DATE', region: null, kpi: 'revenue',
      channels: [
        spend('tv', 'tv_S'), spend('ooh', 'ooh_S'), spend('print', 'print_S'),
        { name: 'facebook', spend: 'facebook_S', activity: 'facebook_I' },
        { name: 'search', spend: 'search_S', activity: 'search_clicks_P' },
        { name: 'newsletter', spend: null, activity: 'newsletter' },
      ],
      controls: ['competitor_sales_B', 'events=event1', 'events=event2'],
      ignored: [], revenuePerKpi: null, dummies: { events: ['event1', 'event2'] },
    });
    expect(report.errors).toEqual([]);
    expect(reason('events')).toMatch(/"na".*reference/);
    expect(reason('newsletter')).toMatch(/organic/);
  });

  it('DeepCausalMMM: dmacode, weekid, impressions_Channel_NN_<adstock>, target_visits, control_NN', () => {
    const { inference, report } = mapped('style_deepcausalmmm.csv');
    const act = (n: string, column: string) => ({ name: n, spend: null, activity: column });
    expect(inference.mapping).toEqual<Mapping>({
      time: 'weekid', region: 'dmacode', kpi: 'target_visits',
      channels: [
        act('Channel_01', 'impressions_Channel_01_delayed_lag_1_decay_0.05_delay_1'),
        act('Channel_02', 'impressions_Channel_02_exponential_decay_0_length_0'),
        act('Channel_03', 'impressions_Channel_03_geometric_max_lag_5_length_0.05'),
        act('Channel_04', 'impressions_Channel_04_null_delayed_lag_5_decay_0.6_delay_1'),
      ],
      controls: ['control_01', 'control_02', 'control_03'], ignored: [], revenuePerKpi: null, dummies: {},
    });
    expect(report.errors).toEqual([]);
    expect(report.shape).toMatchObject({ regions: 4, weeks: 60, channels: 4, controls: 3 });
  });

  it('plain spreadsheet words in any case and separator, with holiday and promotion factors', () => {
    const { inference, report, reason } = mapped('style_plain_words.csv');
    expect(inference.mapping).toEqual<Mapping>({
      time: 'Week', region: 'Region', kpi: 'Sales',
      channels: [
        spend('Paid Search', 'Paid Search'), spend('BrandSearch', 'BrandSearch'),
        { name: 'TV', spend: 'TV', activity: 'tv_GRP' }, spend('radio', 'radio_spend'), spend('Print', 'Print'),
        spend('OOH', 'OOH'), spend('Podcast', 'Podcast'), spend('CTV', 'CTV'), spend('online-video', 'online-video'),
        spend('Paid_Social', 'Paid_Social'), spend('display', 'display'), spend('Influencer', 'Influencer'),
        spend('affiliate', 'affiliate'), { name: 'Email', spend: null, activity: 'Email' },
      ],
      controls: ['holiday=christmas', 'holiday=easter', 'promotion=bogo', 'promotion=discount'],
      ignored: [], revenuePerKpi: null, dummies: { holiday: ['christmas', 'easter'], promotion: ['bogo', 'discount'] },
    });
    expect(report.errors).toEqual([]);
    expect(reason('BrandSearch')).toMatch(/"brand search" names a brand search channel/);
    expect(reason('promotion')).toMatch(/reference/);
  });
});

const shared = (rel: string) => existsSync(resolve(SHARED_DATA, rel));
const SKIP = `skipped: ${SHARED_DATA} is absent (public datasets, see /work/shared/data/README.md)`;

describe('real files from the other tools', () => {
  const growing = 'mmm-param-recovery/growing_business_inputs.csv';
  it.skipIf(!shared(growing))(`mmm-param-recovery growing_business (PyMC-Marketing naming)${shared(growing) ? '' : ` — ${SKIP}`}`, () => {
    const { inference, report } = mapped(growing, loadShared);
    expect(inference.mapping).toMatchObject({
      time: 'date', region: 'geo', kpi: 'y', controls: ['c1', 'c2'], ignored: [],
      channels: [
        spend('Search-Ads', 'x1_Search-Ads'), spend('Search-Ads-Brand', 'x2_Search-Ads-Brand'), spend('Video', 'x3_Video'),
        spend('Social-Media', 'x4_Social-Media'), spend('Display-Ads', 'x5_Display-Ads'), spend('Email', 'x6_Email'),
      ],
    });
    expect(report.canTrain).toBe(true);
    expect(report.shape).toMatchObject({ regions: 2, weeks: 131, channels: 6, controls: 2 });
  });

  const meridian = 'meridian/geo_all_channels.csv';
  it.skipIf(!shared(meridian))(`Meridian geo_all_channels${shared(meridian) ? '' : ` — ${SKIP}`}`, () => {
    const { inference, report } = mapped(meridian, loadShared);
    expect(inference.mapping).toMatchObject({ time: 'time', region: 'geo', kpi: 'conversions', revenuePerKpi: 'revenue_per_conversion', ignored: ['Unnamed: 0', 'population'] });
    expect(inference.mapping.channels.map((c) => c.name)).toEqual(['Channel0', 'Channel1', 'Channel2', 'Channel3', 'Channel4', 'Organic_channel0']);
    expect(report.shape).toMatchObject({ regions: 40, weeks: 156, channels: 6, controls: 3 });
  });

  const rf = 'meridian/geo_media_rf.csv';
  it.skipIf(!shared(rf))(`Meridian geo_media_rf${shared(rf) ? '' : ` — ${SKIP}`}`, () => {
    const { inference, report } = mapped(rf, loadShared);
    expect(inference.mapping.channels[3]).toEqual({ name: 'Channel3', spend: 'Channel3_spend', activity: 'Channel3_impression', reach: 'Channel3_reach', frequency: 'Channel3_frequency' });
    expect(report.canTrain).toBe(true);
  });

  const national = 'meridian/national_all_channels.csv';
  it.skipIf(!shared(national))(`Meridian national_all_channels${shared(national) ? '' : ` — ${SKIP}`}`, () => {
    const { inference, report } = mapped(national, loadShared);
    expect(inference.mapping).toMatchObject({ time: 'time', region: null, kpi: 'conversions', revenuePerKpi: 'revenue_per_conversion', controls: ['competitor_sales_control', 'sentiment_score_control', 'Promo'] });
    expect(inference.mapping.channels).toHaveLength(6);
    expect(report.shape).toMatchObject({ regions: 1, weeks: 156, channels: 6 });
  });

  const tvp = 'pymc-marketing/media_tvp_data.csv';
  it.skipIf(!shared(tvp))(`PyMC-Marketing media_tvp_data: x1, x2 media; truth columns ignored${shared(tvp) ? '' : ` — ${SKIP}`}`, () => {
    const { inference } = mapped(tvp, loadShared);
    expect(inference.mapping).toMatchObject({ time: 'date_week', region: null, kpi: 'y', controls: ['event_1', 'event_2'] });
    expect(inference.mapping.channels).toEqual([spend('x1', 'x1'), spend('x2', 'x2')]);
    expect(inference.mapping.ignored).toContain('hidden_latent_media_fluctuation');
  });
});
