// Media-channel vocabulary for schema inference: reads "x1_Search-Ads", "BrandSearch", "Paid Social",
// "online-video", "OOH", "CTV" as channels whatever their case, separators or abbreviation.
// Names are split into lower-case words (camelCase, "-", "_", ".", spaces and digits all split),
// then matched against phrases, longest first.

/** The kind of channel a name points to, and the words that said so. */
export interface ChannelWord {
  /** Channel family in plain words ("search", "brand search", "social", "TV", …). */
  family: string;
  /** The words of the column name that matched, as written in the name (lower case). */
  matched: string;
  /** Owned/organic channels (email, newsletter, SEO, push, SMS) have no spend by default. */
  organic: boolean;
}

// family → phrases (each a space-separated word sequence). Abbreviations are the ones used across
// countries and tools (OOH, DOOH, CTV, OTT, OLV, SEM, PPC, VOD), so they read the same in any language.
const FAMILIES: [family: string, organic: boolean, phrases: string[]][] = [
  ['brand search', false, ['brand search', 'branded search', 'search brand', 'search ads brand', 'brand sem', 'sem brand', 'brand ppc', 'ppc brand']],
  ['search', false, ['search', 'paid search', 'sem', 'sea', 'ppc', 'adwords', 'google ads', 'bing', 'shopping', 'pla', 'apple search ads']],
  ['social', false, ['social', 'paid social', 'social media', 'facebook', 'fb', 'meta', 'instagram', 'ig', 'tiktok', 'snapchat', 'snap', 'twitter', 'linkedin', 'pinterest', 'reddit']],
  ['online video', false, ['video', 'online video', 'olv', 'youtube', 'yt', 'vod', 'avod', 'pre roll', 'preroll']],
  ['CTV', false, ['ctv', 'ott', 'connected tv', 'streaming tv', 'smart tv']],
  ['TV', false, ['tv', 'television', 'linear tv', 'broadcast', 'cable']],
  ['display', false, ['display', 'banner', 'banners', 'programmatic', 'gdn', 'dv360', 'native', 'retargeting', 'rich media']],
  ['influencer', false, ['influencer', 'influencers', 'creator', 'creators', 'kol']],
  ['affiliate', false, ['affiliate', 'affiliates', 'partnership', 'partnerships', 'referral']],
  ['radio', false, ['radio', 'audio', 'streaming audio', 'spotify']],
  ['podcast', false, ['podcast', 'podcasts']],
  ['print', false, ['print', 'press', 'magazine', 'magazines', 'newspaper', 'newspapers', 'insert', 'inserts', 'flyer', 'flyers', 'leaflet', 'leaflets']],
  ['OOH', false, ['ooh', 'dooh', 'outdoor', 'out of home', 'billboard', 'billboards', 'transit', 'poster', 'posters']],
  ['direct mail', false, ['direct mail', 'mailer', 'mailers', 'mailing', 'dm']],
  ['cinema', false, ['cinema', 'movie theater', 'theatre']],
  ['sponsorship', false, ['sponsorship', 'sponsorships', 'sponsoring']],
  ['retail media', false, ['retail media', 'amazon', 'amazon ads', 'walmart connect', 'criteo']],
  ['app', false, ['app install', 'app installs', 'uac']],
  ['email', true, ['email', 'emails', 'e mail', 'newsletter', 'newsletters', 'crm', 'edm']],
  ['organic', true, ['seo', 'organic', 'push', 'sms', 'owned', 'blog', 'pr', 'word of mouth']],
];

// Words that make a name a rate, price or index about a channel, not its volume (cpm_tv, search_share).
const NOT_VOLUME = new Set(['cpm', 'cpc', 'cpa', 'cpv', 'ctr', 'cvr', 'rate', 'ratio', 'share', 'sov', 'pct', 'percent', 'roi', 'roas', 'index', 'volume', 'trends', 'trend', 'price', 'score', 'rank', 'rating', 'per', 'avg']);

const PHRASES: { words: string[]; family: string; organic: boolean }[] = FAMILIES
  .flatMap(([family, organic, list]) => list.map((p) => ({ words: p.split(' '), family, organic })))
  .sort((a, b) => b.words.length - a.words.length);

/** Lower-case words of a column name: "x2_Search-Ads-Brand" → x, 2, search, ads, brand; "BrandSearch" → brand, search. */
export function nameWords(name: string, splitCamelCase = true): string[] {
  const camel = splitCamelCase ? name.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2') : name;
  return camel
    .replace(/([A-Za-z])(\d)|(\d)([A-Za-z])/g, (_m, a, b, c, d) => (a ? `${a} ${b}` : `${c} ${d}`))
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** PyMC-Marketing style media inputs: x1, x2_TV, x3_Search-Ads. */
export const PYMC_MEDIA_PREFIX = /^x\d+(?=$|[_\s.-])/i;

/** The channel family a column name points to, or null (also null for rates and prices of a channel). */
export function channelWord(name: string): ChannelWord | null {
  // Brand names keep their capitals (TikTok, YouTube, LinkedIn): match with and without camelCase splits.
  const splits = [nameWords(name), nameWords(name, false)];
  if (splits[0].some((w) => NOT_VOLUME.has(w))) return null;
  for (const p of PHRASES) {
    for (const words of splits) {
      for (let i = 0; i + p.words.length <= words.length; i++) {
        if (p.words.every((w, k) => words[i + k] === w)) {
          return { family: p.family, matched: p.words.join(' '), organic: p.organic };
        }
      }
    }
  }
  return null;
}
