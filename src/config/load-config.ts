import { readFileSync } from 'node:fs';
import { DuofeedError } from '../errors.js';
import type { AppConfig, SourceConfig } from '../types.js';
import { validateConfig, type ConfigProblem } from './validate-config.js';
import { VERSION } from '../version.js';

/** Default User-Agent: names duofeed, its version and where to learn about it. */
export const DEFAULT_USER_AGENT = `duofeed/${VERSION} (+https://github.com/duofeed/duofeed; feed aggregator)`;

/** Where each provider lives when `translation.baseUrl` is not given. */
const DEFAULT_BASE_URLS: Record<string, string> = {
  openai: 'https://api.openai.com/v1',
  deepl: 'https://api-free.deepl.com',
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value as object)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

type RawSource = {
  id: string;
  url: string;
  name: string;
  language: string;
  siteUrl?: string | null;
  enabled?: boolean;
  schedule?: string | null;
  timezone?: string | null;
  categories?: string[];
  allowPrivateNetworks?: boolean;
  extract?: { selector?: string | null; remove?: string[]; fetchPages?: boolean };
};
type RawConfig = {
  schedule?: string;
  scheduleTimezone?: string | null;
  http?: Partial<AppConfig['http']>;
  output?: Partial<AppConfig['output']>;
  keywords?: Partial<AppConfig['keywords']>;
  translation?: Partial<AppConfig['translation']>;
  sources: RawSource[];
};

function withDefaults(raw: RawConfig): AppConfig {
  const h = raw.http ?? {};
  const o = raw.output ?? {};
  const t = raw.translation ?? {};
  return {
    schedule: raw.schedule ?? '*/30 * * * *',
    scheduleTimezone: raw.scheduleTimezone ?? null,
    http: {
      timeoutMs: h.timeoutMs ?? 20_000,
      maxFeedBytes: h.maxFeedBytes ?? 10 * 1024 * 1024,
      maxPageBytes: h.maxPageBytes ?? 5 * 1024 * 1024,
      maxRedirects: h.maxRedirects ?? 5,
      userAgent: h.userAgent ?? DEFAULT_USER_AGENT,
      allowPrivateNetworks: h.allowPrivateNetworks ?? false,
      maxConcurrentSources: h.maxConcurrentSources ?? 4,
      maxConcurrentPages: h.maxConcurrentPages ?? 2,
      maxItemsPerFeed: h.maxItemsPerFeed ?? 500,
    },
    output: {
      title: o.title ?? 'duofeed — AI news',
      description: o.description ?? 'AI news from many sources, merged.',
      baseUrl: o.baseUrl ? o.baseUrl.replace(/\/+$/, '') : null,
      maxItems: o.maxItems ?? 50,
      cacheMaxAgeSeconds: o.cacheMaxAgeSeconds ?? 300,
      languages: o.languages ?? ['zh', 'en'],
      layout: o.layout ?? 'stacked',
      titleMode: o.titleMode ?? 'primary',
      websubHub: o.websubHub ?? null,
    },
    keywords: { min: raw.keywords?.min ?? 3, max: raw.keywords?.max ?? 8 },
    translation: {
      provider: t.provider ?? 'none',
      baseUrl: (t.baseUrl ?? DEFAULT_BASE_URLS[t.provider ?? 'none'] ?? null)?.replace(/\/+$/, '') ?? null,
      model: t.model ?? null,
      apiKeyEnv: t.apiKeyEnv ?? null,
      timeoutMs: t.timeoutMs ?? 60_000,
      maxRetries: t.maxRetries ?? 3,
      requestsPerMinute: t.requestsPerMinute ?? 30,
      concurrency: t.concurrency ?? 2,
      maxCharactersPerDay: t.maxCharactersPerDay ?? 500_000,
      glossary: t.glossary ?? {},
      doNotTranslate: t.doNotTranslate ?? [],
    },
    sources: raw.sources.map(
      (s): SourceConfig => ({
        id: s.id,
        url: s.url,
        name: s.name,
        language: Intl.getCanonicalLocales(s.language)[0] ?? s.language,
        siteUrl: s.siteUrl ?? null,
        enabled: s.enabled ?? true,
        schedule: s.schedule ?? null,
        timezone: s.timezone ?? null,
        categories: s.categories ?? [],
        allowPrivateNetworks: s.allowPrivateNetworks ?? false,
        extract: {
          selector: s.extract?.selector ?? null,
          remove: s.extract?.remove ?? [],
          fetchPages: s.extract?.fetchPages ?? true,
        },
      }),
    ),
  };
}

/**
 * Validates a parsed config value and returns it with defaults applied, deeply frozen.
 * @param raw parsed JSON of feeds.config.json
 * @param origin file path or label used in the error message
 * @throws DuofeedError CONFIG_INVALID with `details.problems: ConfigProblem[]` (every problem, with its JSON path)
 */
export function buildConfig(raw: unknown, origin: string): AppConfig {
  const problems = validateConfig(raw);
  if (problems.length > 0) {
    throw new DuofeedError('CONFIG_INVALID', `${origin}: ${problems.length} problem(s)\n${formatProblems(problems)}`, {
      stage: 'config',
      url: origin,
      details: { problems },
    });
  }
  return deepFreeze(withDefaults(raw as RawConfig));
}

/**
 * Reads, parses and validates a config file (JSON, UTF-8, BOM tolerated).
 * @param file path of feeds.config.json
 * @returns the frozen AppConfig with defaults applied
 * @throws DuofeedError CONFIG_NOT_FOUND (unreadable), CONFIG_SYNTAX (not JSON), CONFIG_INVALID (schema or rule violations)
 */
export function loadConfig(file: string): AppConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new DuofeedError('CONFIG_NOT_FOUND', `cannot read config file ${file}: ${(cause as Error).message}`, {
      stage: 'config',
      url: file,
      cause,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (cause) {
    throw new DuofeedError('CONFIG_SYNTAX', `config file ${file} is not valid JSON: ${(cause as Error).message}`, {
      stage: 'config',
      url: file,
      cause,
    });
  }
  return buildConfig(raw, file);
}

/** One line per problem: `  /sources/0/url: must match format "uri"`. */
export function formatProblems(problems: ConfigProblem[]): string {
  return problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
}
