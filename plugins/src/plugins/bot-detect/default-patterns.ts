// The crawler patterns bot-detect blocks when its configuration gives none (RE2 syntax,
// matched case-insensitively against User-Agent). Written for this project: the generic
// words crawlers put in their names, then well-known crawlers whose names lack them.
export const DEFAULT_BOT_PATTERNS: string[] = [
  "(?i)[a-z0-9._-]*(bot|crawler|crawling|spider|scraper|archiver|indexer|fetcher)([/ ;)-]|$)",
  "(?i)(slurp|nutch|scrapy|heritrix|mediapartners-google|adsbot|facebookexternalhit|bingpreview|yandex|baiduspider|sogou|exabot|ia_archiver|semrush|ahrefs|mj12|petalbot|bytespider|gptbot|ccbot|claudebot)",
];
