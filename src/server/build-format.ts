import { buildAtom } from '../publish/build-atom.js';
import { bodyEtag, type BuildFeedsInput } from '../publish/build-feeds.js';
import { buildJson } from '../publish/build-json.js';
import { buildRss } from '../publish/build-rss.js';
import { trimBase, type FeedMeta } from '../publish/feed-meta.js';
import { DEFAULT_PUBLISH_OPTIONS, newestUpdate, prepareItems, type PublishItem, type PublishOptions } from '../publish/item-content.js';

/** Format names as served. */
export type FeedFormat = 'rss' | 'atom' | 'json';

/** Items and feed-level values of one variant, ready for any of the three format builders. */
export interface PreparedFeed {
  items: PublishItem[];
  meta: FeedMeta;
}

/**
 * The format-independent half of publish's `buildFeeds`: lays the articles out once per variant
 * (merged, or one `?lang=` view), so the server can then build only the format a reader asks
 * for. Must stay equal to what `buildFeeds` does (test/server/feed-cache.test.ts compares the
 * bytes of every format and variant with `buildFeeds`).
 * @param input as for `buildFeeds` (articles newest first, already limited to `output.maxItems`)
 * @returns prepared items and the feed meta (title, description, self base, newest date, view)
 */
export function prepareFeed(input: BuildFeedsInput): PreparedFeed {
  const options: PublishOptions = {
    languages: input.output.languages ?? DEFAULT_PUBLISH_OPTIONS.languages,
    layout: input.output.layout ?? DEFAULT_PUBLISH_OPTIONS.layout,
    titleMode: input.output.titleMode ?? DEFAULT_PUBLISH_OPTIONS.titleMode,
    translation: input.translation ?? DEFAULT_PUBLISH_OPTIONS.translation,
    lang: input.lang ?? null,
  };
  const items = prepareItems(input.articles, input.sources, options);
  return {
    items,
    meta: {
      ...viewTitles(input.output, options.lang),
      selfBaseUrl: trimBase(input.selfBaseUrl),
      updated: newestUpdate(items),
      lang: options.lang,
      query: options.lang === null ? '' : `?lang=${encodeURIComponent(options.lang)}`,
    },
  };
}

/**
 * Builds one format of a prepared variant: RSS 2.0, Atom 1.0 or JSON Feed 1.1 (publish's
 * builders), with its strong ETag (`bodyEtag`, sha256 of the UTF-8 body).
 * @param prepared from {@link prepareFeed}
 * @param format which document
 * @returns the document text and its quoted ETag
 * @throws DuofeedError INTERNAL only on a builder defect (as `buildFeeds`)
 */
export function buildFormat(prepared: PreparedFeed, format: FeedFormat): { text: string; etag: string } {
  const text =
    format === 'rss' ? buildRss(prepared.items, prepared.meta) : format === 'atom' ? buildAtom(prepared.items, prepared.meta) : buildJson(prepared.items, prepared.meta);
  return { text, etag: bodyEtag(text) };
}

// Same wording as publish/build-feeds.ts (private there): a view names its language in the title
// and says that items without that language are left out.
function viewTitles(output: BuildFeedsInput['output'], lang: string | null): Pick<FeedMeta, 'title' | 'description'> {
  if (lang === null) return { title: output.title, description: output.description };
  const note = `language view "${lang}": each item in ${lang} only; items not available in ${lang} are left out`;
  return { title: `${output.title} [${lang}]`, description: output.description === '' ? note : `${output.description} (${note})` };
}
