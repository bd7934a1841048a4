import { DuofeedError } from '../errors.js';

/**
 * Reads the per-language view of a feed request: `?lang=zh` selects the view holding only the
 * `zh` version of each item (see publish/item-content.ts `prepareItems`). Compared
 * case-insensitively with `output.languages` and returned in the configured spelling. Other
 * query parameters are ignored (readers add cache-busters).
 * @param search the request URL's query
 * @param languages `output.languages`, primary first
 * @param path request path, for the message
 * @returns the configured language, or null when there is no `lang` parameter
 * @throws DuofeedError SERVER_BAD_REQUEST when `lang` is empty, repeated, or not one of the
 *   output languages (the message names the value and the allowed ones)
 */
export function parseLangParam(search: URLSearchParams, languages: readonly string[], path: string): string | null {
  const values = search.getAll('lang');
  if (values.length === 0) return null;
  const allowed = languages.join(', ');
  if (values.length > 1) {
    throw badRequest(`Query parameter lang is given ${values.length} times on ${path}; give one of: ${allowed}`, path, values);
  }
  const value = values[0]!.trim();
  const match = languages.find((l) => l.toLowerCase() === value.toLowerCase());
  if (value === '' || match === undefined) {
    throw badRequest(`Unknown language ${JSON.stringify(value.slice(0, 40))} in ${path}?lang=…: this feed is published in ${allowed}; use one of them or leave lang out for the bilingual feed`, path, values);
  }
  return match;
}

function badRequest(message: string, path: string, values: string[]): DuofeedError {
  return new DuofeedError('SERVER_BAD_REQUEST', message, { stage: 'server', url: path, details: { lang: values } });
}
