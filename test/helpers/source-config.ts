import type { SourceInfo } from '../../src/publish/source-info.js';
import type { SourceConfig } from '../../src/types.js';

/**
 * The config entry of a source a test knows by its attribution (a SourceInfo of the publish
 * fixtures), with the config defaults for everything else.
 * @param info id, feed URL, name, declared language (default `en`) and site URL
 * @returns an enabled source that fetches article pages, on the global schedule
 */
export function sourceConfigFor(info: SourceInfo): SourceConfig {
  return {
    id: info.id,
    url: info.feedUrl,
    name: info.name,
    language: info.language ?? 'en',
    siteUrl: info.siteUrl,
    enabled: true,
    extract: { selector: null, remove: [], fetchPages: true },
    schedule: null,
    timezone: null,
    categories: [],
  };
}
