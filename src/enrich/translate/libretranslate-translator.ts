import { DuofeedError } from '../../errors.js';
import { expectSegments, type ProviderAdapter } from './batched-translator.js';
import { libreLang } from './language-codes.js';

/** Settings of the LibreTranslate adapter. */
export interface LibreAdapterConfig {
  baseUrl: string;
  /** Sent as `api_key` in the body when the instance requires keys; null for none. */
  apiKey: string | null;
  languageCodes?: Record<string, string>;
}

/**
 * Adapter for LibreTranslate (libretranslate.com/docs): `POST {baseUrl}/translate` with JSON
 * `{q: [...], source, target, format: "html", api_key?}`; a batch answer is
 * `{translatedText: [...]}` in order. Errors come as `{error: "..."}` with 400 (bad request),
 * 403 (banned or bad key), 429 (slow down), 500 (translation failed).
 */
export function libreAdapter(c: LibreAdapterConfig): ProviderAdapter {
  const endpoint = `${c.baseUrl.replace(/\/+$/, '')}/translate`;
  return {
    provider: 'libretranslate',
    model: null,
    endpoint,
    headers: {},
    buildBody(segments, from, to) {
      return {
        q: segments,
        source: libreLang(from, c.languageCodes),
        target: libreLang(to, c.languageCodes),
        format: 'html',
        ...(c.apiKey ? { api_key: c.apiKey } : {}),
      };
    },
    parse(json, sent) {
      const list = (json as { translatedText?: unknown } | null)?.translatedText;
      if (list === undefined) {
        const error = (json as { error?: unknown } | null)?.error;
        throw new DuofeedError(
          'TRANSLATE_BAD_RESPONSE',
          `libretranslate at ${endpoint} answered without translatedText${typeof error === 'string' ? `: ${error}` : ''}`,
          { stage: 'enrich', url: endpoint, details: { got: JSON.stringify(json)?.slice(0, 200) ?? null } },
        );
      }
      // A single string back for a one-element batch is how older servers answer; still one segment.
      return expectSegments(typeof list === 'string' && sent.length === 1 ? [list] : list, sent, 'libretranslate', endpoint);
    },
  };
}
