import { feedUrlKey } from './feed-url-key.js';
import { outlineLanguage } from './outline-language.js';
import type { OpmlOutline } from './parse-opml.js';
import { uniqueSourceId } from './source-id.js';

/** A source the import adds. */
export interface AddedSource {
  id: string;
  /** Feed URL as written into the config. */
  url: string;
  name: string;
  language: string;
  /** `outline`: from its `language` attribute; `guessed`: from the name's writing system. */
  languageFrom: 'outline' | 'guessed';
  /** Folder names around the outline (become `sources[].categories`). */
  categories: string[];
  /** The outline's 1-based position in the OPML file. */
  outline: number;
}

/** An outline the import leaves out, and why. */
export interface SkippedOutline {
  /** Its feed URL, or null when it has none. */
  url: string | null;
  reason: string;
  /** The outline's 1-based position in the OPML file. */
  outline: number;
}

/** What merging an OPML file into a config gives. */
export interface MergePlan {
  /** The config with the new sources appended to `sources` (other keys and their order kept). */
  config: Record<string, unknown>;
  added: AddedSource[];
  skipped: SkippedOutline[];
  /** Index in `config.sources` of the first added source (= the old source count). */
  firstNewIndex: number;
}

/** An absolute http(s) URL in its WHATWG serialization (IRIs percent-encoded, host punycoded), else null. */
function httpUrl(value: string | null): string | null {
  if (value === null || !/^https?:\/\//i.test(value)) return null;
  try {
    return new URL(value).href;
  } catch {
    return null;
  }
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}

/**
 * Appends an OPML file's feed outlines to a config's `sources`, as new source objects
 * `{id, url, name, language, siteUrl?, categories?}` (schema `$defs/source`):
 * - `url`: the outline's `xmlUrl`, WHATWG-serialized;
 * - `name`: `text`, else `title`, else the feed's host;
 * - `id`: see {@link uniqueSourceId}; `language`: see {@link outlineLanguage};
 * - `siteUrl`: `htmlUrl` when it is an absolute http(s) URL (left out otherwise: it is optional);
 * - `categories`: the enclosing folders' names, when there are any.
 * Skipped, with the reason: outlines without `xmlUrl`; an `xmlUrl` that is not an absolute
 * http(s) URL (`javascript:`, `ftp:`, relative: duofeed cannot poll it, and one such outline
 * should not block the rest of a subscription list); feeds already configured or listed earlier
 * in the file, compared by {@link feedUrlKey}. The input config is not modified.
 * @param config parsed feeds.config.json (its `sources` must be an array; validated before)
 * @param outlines from parseOpml, in document order
 * @returns the merged config, what was added and what was skipped
 */
export function mergeOutlines(config: Record<string, unknown>, outlines: readonly OpmlOutline[]): MergePlan {
  const existing = (Array.isArray(config.sources) ? config.sources : []) as Array<Record<string, unknown>>;
  const taken = new Set(existing.map((s) => String(s.id)));
  const byKey = new Map<string, string>();
  for (const s of existing) if (typeof s.url === 'string') byKey.set(feedUrlKey(s.url), `already configured as ${String(s.id)}`);
  const added: AddedSource[] = [];
  const skipped: SkippedOutline[] = [];
  const newSources: Array<Record<string, unknown>> = [];
  for (const o of outlines) {
    if (o.xmlUrl === null) {
      skipped.push({ url: null, reason: 'no xmlUrl', outline: o.index });
      continue;
    }
    const url = httpUrl(o.xmlUrl);
    if (url === null) {
      skipped.push({ url: o.xmlUrl, reason: 'not an http(s) feed URL', outline: o.index });
      continue;
    }
    const key = feedUrlKey(url);
    const seen = byKey.get(key);
    if (seen !== undefined) {
      skipped.push({ url, reason: seen, outline: o.index });
      continue;
    }
    const name = o.text ?? hostOf(url) ?? url;
    const id = uniqueSourceId(o.text, url, taken);
    const lang = outlineLanguage(o.language, o.text);
    const categories = [...new Set(o.folders)];
    const siteUrl = httpUrl(o.htmlUrl);
    byKey.set(key, `same feed as outline ${o.index} of this file (added as ${id})`);
    newSources.push({
      id,
      url,
      name,
      language: lang.language,
      ...(siteUrl !== null ? { siteUrl } : {}),
      ...(categories.length > 0 ? { categories } : {}),
    });
    added.push({ id, url, name, language: lang.language, languageFrom: lang.from, categories, outline: o.index });
  }
  return { config: { ...config, sources: [...existing, ...newSources] }, added, skipped, firstNewIndex: existing.length };
}
