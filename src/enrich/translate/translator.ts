/**
 * The one interface every translation provider implements (issue 3), and the config and
 * dependencies their factories take. See create-translator.ts for the factory by provider name.
 */
import type { Logger } from '../../logger.js';
import type { Clock } from '../../types.js';
import type { SpendLedger } from './spend-cap.js';

/** What one `translate` call cost. */
export interface TranslationCost {
  /** Characters (Unicode code points) of the segments sent, retries of a batch included. */
  characters: number;
  /** HTTP requests made, retries included. */
  requests: number;
}

/** What `Translator.translate` returns: exactly one output segment per input segment, same order. */
export interface TranslateResult {
  segments: string[];
  cost: TranslationCost;
  /** Provider name as configured (`openai`, `deepl`, `libretranslate`). */
  provider: string;
  /** Model name (openai), or null for providers without one. */
  model: string | null;
}

/** Per-call options. Providers that cannot use one ignore it; the fidelity guard still applies. */
export interface TranslateOptions {
  /** Term → fixed translation (openai puts it in the prompt). */
  glossary?: Record<string, string>;
  /** Terms to keep verbatim (openai puts them in the prompt). */
  doNotTranslate?: string[];
  /** Tokens a previous attempt lost, named in the retry's prompt (openai). */
  hints?: string[];
}

/**
 * A machine translator. Segments are HTML fragments (inline tags kept) or escaped plain text.
 *
 * Contract: the result has exactly `segments.length` entries in order; a provider answer with a
 * different count is never returned in part but thrown as TRANSLATE_SEGMENT_MISMATCH.
 * Errors (DuofeedError, stage `enrich`): TRANSLATE_AUTH, TRANSLATE_QUOTA, TRANSLATE_RATE_LIMITED,
 * TRANSLATE_HTTP_STATUS, TRANSLATE_TIMEOUT, TRANSLATE_NETWORK, TRANSLATE_BAD_RESPONSE,
 * TRANSLATE_SEGMENT_MISMATCH, TRANSLATE_SPEND_CAP (details.resumeAt = next UTC midnight, ISO).
 */
export interface Translator {
  /** Provider name. */
  readonly provider: string;
  /** Model, or null. */
  readonly model: string | null;
  /**
   * @param segments texts to translate (may be empty: resolves with no request)
   * @param from source language, BCP 47 (`en`, `zh-CN`)
   * @param to target language, BCP 47
   */
  translate(segments: string[], from: string, to: string, opts?: TranslateOptions): Promise<TranslateResult>;
}

/** Provider names accepted in `translation.provider`; `none` means no translator at all. */
export type ProviderName = 'none' | 'openai' | 'deepl' | 'libretranslate';

/**
 * `translation` in feeds.config.json as the factories read it. AppConfig's `translation`
 * (types.ts) is assignable to it as it is; only `provider` and `baseUrl` are required (and
 * `model` for openai); every limit left out has a per-provider default (PROVIDER_DEFAULTS in
 * create-translator.ts). Glossary and do-not-translate list are per call (glossary.ts).
 */
export interface TranslationConfig {
  provider: ProviderName;
  /** Service root: `https://api.openai.com/v1`, `https://api-free.deepl.com`, `http://localhost:5000`. */
  baseUrl: string | null;
  /** Model name (openai: required). */
  model?: string | null;
  /** Name of the environment variable holding the API key; null/absent = no key (local servers). */
  apiKeyEnv?: string | null;
  /** Time for one request, headers and body (ms). Default per provider (60000–120000). */
  timeoutMs?: number;
  /** Retries of one request after 429/5xx/timeout/network failures. Default 3. */
  maxRetries?: number;
  /** First backoff delay (ms), doubled per retry. Default 1000. */
  backoffBaseMs?: number;
  /** Cap on one backoff delay (ms). Default 60000. */
  maxBackoffMs?: number;
  /** A Retry-After longer than this (ms) is not waited for: the call fails (RATE_LIMITED). Default 300000. */
  maxRetryAfterMs?: number;
  /** Requests started per rolling minute. */
  requestsPerMinute?: number;
  /** Requests in flight at once (`maxConcurrent` is the same). */
  concurrency?: number;
  maxConcurrent?: number;
  /** Segments per request (DeepL allows 50). */
  maxSegmentsPerRequest?: number;
  /** Characters per request (a single longer segment still goes alone). */
  maxCharactersPerRequest?: number;
  /** Characters sent per UTC day; null/absent = no cap. */
  maxCharactersPerDay?: number | null;
  /** openai: `json_object` asks the server for JSON mode (then an object `{"segments": [...]}` is requested). */
  responseFormat?: 'json_object' | null;
  /** BCP 47 tag → the provider's language code, overriding the built-in mapping. */
  languageCodes?: Record<string, string>;
}

/** What a provider factory needs from the outside world. */
export interface TranslatorDeps {
  /** Environment to read the key from (main.ts passes process.env). */
  env: Record<string, string | undefined>;
  clock: Clock;
  logger: Logger;
  /** HTTP client; default the global fetch (undici). */
  fetch?: typeof fetch;
  /** Waits `ms` (backoff, Retry-After, rate limit); tests pass a recording no-op. Default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** [0,1) numbers for backoff jitter; default Math.random. */
  random?: () => number;
  /** Where characters spent per day are counted; default in memory (lost on restart). */
  ledger?: SpendLedger;
  /** User-Agent header. */
  userAgent?: string;
}
