import { DuofeedError } from '../../errors.js';
import { BatchedTranslator, type ProviderAdapter } from './batched-translator.js';
import { deeplAdapter } from './deepl-translator.js';
import type { HttpCallSettings } from './http-call.js';
import { libreAdapter } from './libretranslate-translator.js';
import { RequestLimiter } from './limiter.js';
import { openAiAdapter } from './openai-translator.js';
import { MemorySpendLedger, SpendCap } from './spend-cap.js';
import type { TranslationConfig, Translator, TranslatorDeps } from './translator.js';

/** Limits used when the config leaves them out, per provider. */
export const PROVIDER_DEFAULTS = {
  // LLMs are slow and lose count on long arrays: small batches, long timeout.
  openai: { timeoutMs: 120_000, maxSegmentsPerRequest: 40, maxCharactersPerRequest: 6_000, requestsPerMinute: 60, maxConcurrent: 2 },
  // DeepL: up to 50 texts and 128 KiB per request.
  deepl: { timeoutMs: 30_000, maxSegmentsPerRequest: 50, maxCharactersPerRequest: 30_000, requestsPerMinute: 60, maxConcurrent: 2 },
  // Public LibreTranslate instances cap characters per request (often 5000) and requests per minute.
  libretranslate: { timeoutMs: 60_000, maxSegmentsPerRequest: 20, maxCharactersPerRequest: 5_000, requestsPerMinute: 30, maxConcurrent: 1 },
} as const;

const RETRY_DEFAULTS = { maxRetries: 3, backoffBaseMs: 1_000, maxBackoffMs: 60_000, maxRetryAfterMs: 300_000 };

function invalid(message: string, details: Record<string, unknown>): DuofeedError {
  return new DuofeedError('CONFIG_INVALID', message, { stage: 'config', details });
}

/**
 * Reads the API key from the environment variable the config names (never from the config).
 * @returns the key, or null when `apiKeyEnv` is absent and `required` is false
 * @throws DuofeedError TRANSLATE_NO_API_KEY when the variable is named but unset/empty, or when
 *   `required` and no variable is named
 */
function readKey(config: TranslationConfig, deps: TranslatorDeps, required: boolean): string | null {
  const name = config.apiKeyEnv ?? null;
  if (name === null) {
    if (!required) return null;
    throw new DuofeedError('TRANSLATE_NO_API_KEY', `translation provider ${config.provider} needs an API key: set translation.apiKeyEnv to the name of an environment variable holding it`, {
      stage: 'enrich',
      url: config.baseUrl,
      details: { provider: config.provider },
    });
  }
  const key = deps.env[name]?.trim() ?? '';
  if (key === '') {
    throw new DuofeedError(
      'TRANSLATE_NO_API_KEY',
      `translation provider ${config.provider} (${config.baseUrl}) reads its API key from the environment variable ${name}, which is unset or empty`,
      { stage: 'enrich', url: config.baseUrl, details: { provider: config.provider, apiKeyEnv: name } },
    );
  }
  return key;
}

function checkBaseUrl(config: TranslationConfig): asserts config is TranslationConfig & { baseUrl: string } {
  let ok = false;
  try {
    const u = new URL(config.baseUrl ?? '');
    ok = u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    ok = false;
  }
  if (!ok) throw invalid(`translation.baseUrl ${JSON.stringify(config.baseUrl)} is not an absolute http(s) URL (provider ${config.provider} needs one)`, { path: '/translation/baseUrl' });
}

function build(config: TranslationConfig, deps: TranslatorDeps, adapter: ProviderAdapter, defaults: (typeof PROVIDER_DEFAULTS)[keyof typeof PROVIDER_DEFAULTS]): Translator {
  const log = deps.logger.child({ stage: 'enrich', provider: adapter.provider });
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const limiter = new RequestLimiter(
    config.concurrency ?? config.maxConcurrent ?? defaults.maxConcurrent,
    config.requestsPerMinute ?? defaults.requestsPerMinute,
    () => deps.clock.now().getTime(),
    sleep,
  );
  const http: HttpCallSettings = {
    provider: adapter.provider,
    timeoutMs: config.timeoutMs ?? defaults.timeoutMs,
    maxRetries: config.maxRetries ?? RETRY_DEFAULTS.maxRetries,
    backoffBaseMs: config.backoffBaseMs ?? RETRY_DEFAULTS.backoffBaseMs,
    maxBackoffMs: config.maxBackoffMs ?? RETRY_DEFAULTS.maxBackoffMs,
    maxRetryAfterMs: config.maxRetryAfterMs ?? RETRY_DEFAULTS.maxRetryAfterMs,
    fetch: deps.fetch ?? globalThis.fetch,
    sleep,
    random: deps.random ?? Math.random,
    clock: deps.clock,
    logger: log,
    limiter,
    userAgent: deps.userAgent ?? 'duofeed',
  };
  const spend = new SpendCap(config.maxCharactersPerDay ?? null, adapter.provider, deps.ledger ?? new MemorySpendLedger(), deps.clock);
  return new BatchedTranslator(
    adapter,
    http,
    {
      maxSegmentsPerRequest: config.maxSegmentsPerRequest ?? defaults.maxSegmentsPerRequest,
      maxCharactersPerRequest: config.maxCharactersPerRequest ?? defaults.maxCharactersPerRequest,
    },
    spend,
    log,
  );
}

/**
 * The `openai` provider: any OpenAI-compatible chat-completions API. The key (optional: local
 * servers need none) comes from the variable named by `apiKeyEnv`.
 * @throws DuofeedError CONFIG_INVALID (no model, bad baseUrl), TRANSLATE_NO_API_KEY
 */
export function createOpenAiTranslator(config: TranslationConfig, deps: TranslatorDeps): Translator {
  checkBaseUrl(config);
  if (!config.model) throw invalid('translation.model is required for provider openai (e.g. "gpt-4o-mini", "qwen2.5:7b")', { path: '/translation/model' });
  const apiKey = readKey(config, deps, false);
  return build(config, deps, openAiAdapter({ baseUrl: config.baseUrl, model: config.model, apiKey, responseFormat: config.responseFormat ?? null }), PROVIDER_DEFAULTS.openai);
}

/**
 * The `deepl` provider (API v2). A key is required.
 * @throws DuofeedError CONFIG_INVALID (bad baseUrl), TRANSLATE_NO_API_KEY
 */
export function createDeepLTranslator(config: TranslationConfig, deps: TranslatorDeps): Translator {
  checkBaseUrl(config);
  const apiKey = readKey(config, deps, true) as string;
  return build(config, deps, deeplAdapter({ baseUrl: config.baseUrl, apiKey, languageCodes: config.languageCodes }), PROVIDER_DEFAULTS.deepl);
}

/**
 * The `libretranslate` provider. The key is optional (self-hosted instances often need none).
 * @throws DuofeedError CONFIG_INVALID (bad baseUrl), TRANSLATE_NO_API_KEY
 */
export function createLibreTranslator(config: TranslationConfig, deps: TranslatorDeps): Translator {
  checkBaseUrl(config);
  const apiKey = readKey(config, deps, false);
  return build(config, deps, libreAdapter({ baseUrl: config.baseUrl, apiKey, languageCodes: config.languageCodes }), PROVIDER_DEFAULTS.libretranslate);
}

/**
 * The translator a config asks for. `null` config or provider `none` gives null: no translation
 * at all, and the caller must publish "no translation" (never a fake one).
 * @throws DuofeedError CONFIG_INVALID (unknown provider, missing model, bad baseUrl),
 *   TRANSLATE_NO_API_KEY (the named variable is unset) — at start, before any poll
 */
export function createTranslator(config: TranslationConfig | null | undefined, deps: TranslatorDeps): Translator | null {
  if (!config || config.provider === 'none') return null;
  switch (config.provider) {
    case 'openai':
      return createOpenAiTranslator(config, deps);
    case 'deepl':
      return createDeepLTranslator(config, deps);
    case 'libretranslate':
      return createLibreTranslator(config, deps);
    default:
      throw invalid(`translation.provider "${String((config as { provider: unknown }).provider)}" is not one of none, openai, deepl, libretranslate`, {
        path: '/translation/provider',
      });
  }
}
