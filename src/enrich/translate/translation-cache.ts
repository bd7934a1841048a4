import { createHash } from 'node:crypto';

/** One cached segment translation. */
export interface CacheEntry {
  /** translationCacheKey(...) of the source segment. */
  key: string;
  /** The accepted translation (passed the fidelity guard). */
  text: string;
  provider: string;
  model: string | null;
}

/**
 * Where accepted segment translations are kept, so re-polls and restarts never pay twice for
 * unchanged text. Async so a PostgreSQL engine can implement it; SQLite lives in
 * store/sqlite/translation-cache.ts.
 */
export interface TranslationCache {
  /** The cached translations of those keys that are present (absent keys are simply missing). */
  get(keys: string[]): Promise<Map<string, string>>;
  /** Stores (or replaces) entries. */
  put(entries: CacheEntry[]): Promise<void>;
}

/** What a cache key covers: a change to any part means a new translation. */
export interface CacheKeyParts {
  text: string;
  from: string;
  to: string;
  provider: string;
  model: string | null;
  glossaryVersion: string;
}

/**
 * Cache key: sha256 (hex) of the JSON array [text, from, to, provider, model, glossaryVersion];
 * language tags are lower-cased so `zh-CN` and `zh-cn` share entries.
 */
export function translationCacheKey(p: CacheKeyParts): string {
  return createHash('sha256')
    .update(JSON.stringify([p.text, p.from.toLowerCase(), p.to.toLowerCase(), p.provider, p.model, p.glossaryVersion]))
    .digest('hex');
}

/** A cache in memory (tests, and a process without a database). */
export class MemoryTranslationCache implements TranslationCache {
  readonly entries = new Map<string, CacheEntry>();
  async get(keys: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const k of keys) {
      const e = this.entries.get(k);
      if (e) out.set(k, e.text);
    }
    return out;
  }
  async put(entries: CacheEntry[]): Promise<void> {
    for (const e of entries) this.entries.set(e.key, e);
  }
}
