// The channel vocabulary: channel words in any case, with any separator or abbreviation.
import { describe, expect, it } from 'vitest';
import { channelWord, nameWords } from '../../../web/src/ingest/vocabulary';

describe('nameWords', () => {
  it('splits separators, camelCase and digits', () => {
    expect(nameWords('x2_Search-Ads-Brand')).toEqual(['x', '2', 'search', 'ads', 'brand']);
    expect(nameWords('BrandSearch')).toEqual(['brand', 'search']);
    expect(nameWords('Channel0_spend')).toEqual(['channel', '0', 'spend']);
    expect(nameWords('OOH.dooh  TV')).toEqual(['ooh', 'dooh', 'tv']);
    expect(nameWords('CTVSpend')).toEqual(['ctv', 'spend']);
  });
});

describe('channelWord', () => {
  const family = (name: string) => channelWord(name)?.family ?? null;
  it.each([
    ['x1_Search-Ads', 'search'], ['PAID_SEARCH', 'search'], ['sem', 'search'], ['google.ads', 'search'],
    ['x2_Search-Ads-Brand', 'brand search'], ['BrandSearch', 'brand search'], ['search brand', 'brand search'],
    ['x3_Video', 'online video'], ['OLV', 'online video'], ['YouTube', 'online video'], ['LinkedIn_Ads', 'social'],
    ['x4_Social-Media', 'social'], ['facebook', 'social'], ['TikTok', 'social'], ['Paid_Social', 'social'],
    ['x5_Display-Ads', 'display'], ['programmatic', 'display'],
    ['Influencer', 'influencer'], ['x8_Affiliate', 'affiliate'],
    ['TV', 'TV'], ['linear-tv', 'TV'], ['CTV', 'CTV'], ['connected_tv', 'CTV'], ['OTT', 'CTV'],
    ['Radio', 'radio'], ['Print', 'print'], ['newspaper', 'print'], ['OOH', 'OOH'], ['DOOH', 'OOH'], ['out-of-home', 'OOH'],
    ['podcast', 'podcast'], ['direct_mail', 'direct mail'],
  ])('%s is a %s channel', (name, fam) => {
    expect(family(name)).toBe(fam);
    expect(channelWord(name)!.organic).toBe(false);
  });

  it('owned channels (email, newsletter, SEO, SMS) are organic', () => {
    for (const n of ['Email', 'e-mail', 'newsletter', 'SEO', 'sms']) expect(channelWord(n)?.organic).toBe(true);
  });

  it('rates, prices and indices of a channel are not channels; other words are not either', () => {
    for (const n of ['tv_cpm', 'search_share', 'search_volume_index', 'cpc_search', 'price', 'sales', 'geo', 'c1', 'season', 'dmacode', 'television_rating']) {
      expect(channelWord(n), n).toBeNull();
    }
  });
});
