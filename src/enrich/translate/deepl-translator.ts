import { DuofeedError } from '../../errors.js';
import { expectSegments, type ProviderAdapter } from './batched-translator.js';
import { deeplSourceLang, deeplTargetLang } from './language-codes.js';

/** Settings of the DeepL adapter. */
export interface DeepLAdapterConfig {
  /** `https://api.deepl.com` (Pro) or `https://api-free.deepl.com` (Free); a trailing `/v2` is accepted. */
  baseUrl: string;
  apiKey: string;
  languageCodes?: Record<string, string>;
}

/**
 * Adapter for the DeepL API v2 text translation (developers.deepl.com, "Translate text"):
 * `POST {baseUrl}/v2/translate`, header `Authorization: DeepL-Auth-Key KEY`, JSON body
 * `{text: [...], source_lang, target_lang, tag_handling: "html"}` (up to 50 texts, 128 KiB);
 * answer `{translations: [{detected_source_language, text}]}` in request order. Errors: 403
 * (key), 456 (quota), 429 (too many requests), 5xx. DeepL glossaries are not used: our
 * glossary is enforced by the fidelity guard.
 */
export function deeplAdapter(c: DeepLAdapterConfig): ProviderAdapter {
  const endpoint = `${c.baseUrl.replace(/\/+$/, '').replace(/\/v2$/, '')}/v2/translate`;
  return {
    provider: 'deepl',
    model: null,
    endpoint,
    headers: { authorization: `DeepL-Auth-Key ${c.apiKey}` },
    buildBody(segments, from, to) {
      return {
        text: segments,
        source_lang: deeplSourceLang(from, c.languageCodes),
        target_lang: deeplTargetLang(to, c.languageCodes),
        tag_handling: 'html',
      };
    },
    parse(json, sent) {
      const list = (json as { translations?: unknown } | null)?.translations;
      if (!Array.isArray(list) || !list.every((t) => t && typeof (t as { text?: unknown }).text === 'string')) {
        throw new DuofeedError('TRANSLATE_BAD_RESPONSE', `deepl at ${endpoint} answered without translations[].text`, {
          stage: 'enrich',
          url: endpoint,
          details: { got: JSON.stringify(json)?.slice(0, 200) ?? null },
        });
      }
      return expectSegments(
        list.map((t) => (t as { text: string }).text),
        sent,
        'deepl',
        endpoint,
      );
    },
  };
}
