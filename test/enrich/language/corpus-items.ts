import fs from 'node:fs';
import { decodeBody } from '../../../src/fetch/decode.js';
import { parseFeed } from '../../../src/parse/parse-feed.js';
import { htmlToText } from '../../../src/extract/html-to-text.js';
import { corpus } from '../../helpers/paths.js';

/** One corpus item as the enrich stage sees it: plain title and text, the feed's categories. */
export interface CorpusItem {
  title: string;
  text: string;
  categories: string[];
}

/** One parsed corpus feed. */
export interface CorpusFeed {
  /** Path under ../shared/corpus/feeds. */
  file: string;
  /** The feed's declared language (`<language>`, `xml:lang`, JSON `language`), or null. */
  declared: string | null;
  /** WHATWG encoding the bytes were decoded with. */
  encoding: string;
  items: CorpusItem[];
}

/**
 * Reads one real corpus feed the way the pipeline does: bytes → decodeBody (no HTTP charset:
 * BOM, XML declaration, then UTF-8) → parseFeed → plain text of the content (else summary).
 * @param file path under ../shared/corpus/feeds, e.g. `non-utf8/zh-kc0011.gb2312.rss2.xml`
 */
export async function loadCorpusFeed(file: string): Promise<CorpusFeed> {
  const decoded = decodeBody(fs.readFileSync(corpus('feeds', file)), null, 'feed');
  const feed = await parseFeed(decoded.text, { feedUrl: `https://corpus.example.com/${file}`, timezone: null, maxItems: 10_000 });
  return {
    file,
    declared: feed.language,
    encoding: decoded.encoding,
    items: feed.items.map((i) => ({
      title: i.title,
      text: htmlToText(i.contentHtml ?? i.summaryHtml ?? ''),
      categories: i.categories,
    })),
  };
}

/** Every feed file under ../shared/corpus/feeds (`dir/name`), sorted. */
export function allCorpusFeedFiles(): string[] {
  const root = corpus('feeds');
  return fs
    .readdirSync(root)
    .flatMap((dir) => fs.readdirSync(`${root}/${dir}`).map((f) => `${dir}/${f}`))
    .sort();
}

/** Chinese feeds of the corpus (GB2312, Big5, UTF-8 peer-aggregator output). */
export const ZH_FEEDS: readonly string[] = [
  'non-utf8/zh-acnnewswire.gb2312-declared.rss2.xml',
  'non-utf8/zh-cnblog.gb2312.rss092.xml',
  'non-utf8/zh-kc0011.gb2312.rss2.xml',
  'non-utf8/zh-softsea.gb2312.rss2.xml',
  'non-utf8/zh-tw-coolloud.big5.rss10-rdf.xml',
  'peer-aggregator-output/niles-cnbeta.zh.filtered.rss2.xml',
  'peer-aggregator-output/niles-hacker-news.zh-summary.rss2.xml',
  'peer-aggregator-output/rss-gpt-36kr-ai-2023-11.zh.rss2.xml',
];

/** English feeds of the corpus (AI-lab feeds, The Verge, JSON Feed, and other English news). */
export const EN_FEEDS: readonly string[] = [
  'generated/anthropic-news.olshansk.rss2.xml',
  'generated/google-ai-blog.olshansk.rss2.xml',
  'generated/openai-research.olshansk.rss2.xml',
  'generated/the-batch-deeplearning-ai.olshansk.rss2.xml',
  'ai-tech/theverge-frontpage-2017.atom',
  'ai-tech/google-cloud-blog.rss2.xml',
  'ai-tech/techcrunch-2011-11.feedburner.rss2.xml',
  'ai-tech/slashdot.rss10-rdf.iso-8859-1.xml',
  'jsonfeed/daringfireball.jsonfeed-1.0.json',
  'jsonfeed/inessential.jsonfeed-1.0.json',
  'jsonfeed/pxlnv.jsonfeed-1.0-http-version-url.json',
  'jsonfeed/curt.jsonfeed-1.0-escaped-slashes.json',
];

/** A few other languages: German (heise), Russian (windows-1251), Japanese (Shift_JIS), French. */
export const OTHER_FEEDS: ReadonlyArray<readonly [string, string]> = [
  ['ai-tech/heise-online.rss090-rdf.xml', 'de'],
  ['ai-tech/heise-developer-2016.atom', 'de'],
  ['non-utf8/ru-newsru.windows-1251.rss2.xml', 'ru'],
  ['non-utf8/ru-xakep.windows-1251.rss2.xml', 'ru'],
  ['non-utf8/ja-yasuhisa.shift_jis.rss10-rdf.xml', 'ja'],
  ['ai-tech/nextinpact-full.rss2.xml', 'fr'],
];
