import type Database from 'better-sqlite3';
import { DuofeedError } from '../../errors.js';
import type { CacheEntry, TranslationCache } from '../../enrich/translate/translation-cache.js';
import type { SpendLedger } from '../../enrich/translate/spend-cap.js';
import type { Clock } from '../../types.js';

function storeError(err: unknown, what: string): DuofeedError {
  const reason = err instanceof Error ? err.message : String(err);
  return new DuofeedError('STORE_FAILED', `${what}: ${reason}`, { stage: 'store', cause: err });
}

/**
 * The translation cache in the store's SQLite file (table `translation_cache`, migration step 2).
 * Build it on the open store's handle: `new SqliteTranslationCache(store.database, clock)`.
 */
export class SqliteTranslationCache implements TranslationCache {
  private readonly select: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly putMany: (entries: CacheEntry[], at: string) => void;

  /**
   * @param db the open, migrated database (SqliteStore.database)
   * @param clock source of `created_at`
   */
  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    // json_each takes any number of keys in one statement (SQLite caps bound parameters).
    this.select = db.prepare('SELECT key, translation FROM translation_cache WHERE key IN (SELECT value FROM json_each(?))');
    this.upsert = db.prepare(
      `INSERT INTO translation_cache (key, translation, provider, model, created_at) VALUES (@key, @text, @provider, @model, @at)
       ON CONFLICT (key) DO UPDATE SET translation = excluded.translation, provider = excluded.provider, model = excluded.model, created_at = excluded.created_at`,
    );
    this.putMany = db.transaction((entries: CacheEntry[], at: string) => {
      for (const e of entries) this.upsert.run({ key: e.key, text: e.text, provider: e.provider, model: e.model, at });
    });
  }

  /** See TranslationCache.get. @throws DuofeedError STORE_FAILED */
  async get(keys: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (keys.length === 0) return out;
    try {
      for (const row of this.select.all(JSON.stringify(keys)) as Array<{ key: string; translation: string }>) out.set(row.key, row.translation);
    } catch (err) {
      throw storeError(err, 'could not read the translation cache');
    }
    return out;
  }

  /** See TranslationCache.put (one transaction). @throws DuofeedError STORE_FAILED */
  async put(entries: CacheEntry[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      this.putMany(entries, this.clock.now().toISOString());
    } catch (err) {
      throw storeError(err, `could not write ${entries.length} translations to the cache`);
    }
  }
}

/**
 * Characters sent per UTC day and provider, in table `translation_spend`, so the daily cap
 * (`translation.maxCharactersPerDay`) survives restarts. Synchronous, as SpendLedger requires.
 */
export class SqliteSpendLedger implements SpendLedger {
  private readonly read: Database.Statement;
  private readonly bump: Database.Statement;

  /** @param db the open, migrated database (SqliteStore.database) */
  constructor(db: Database.Database) {
    this.read = db.prepare('SELECT characters FROM translation_spend WHERE day = ? AND provider = ?').pluck();
    this.bump = db.prepare(
      `INSERT INTO translation_spend (day, provider, characters) VALUES (@day, @provider, max(0, @n))
       ON CONFLICT (day, provider) DO UPDATE SET characters = max(0, characters + @n)`,
    );
  }

  /** See SpendLedger.used. */
  used(day: string, provider: string): number {
    return Number(this.read.get(day, provider) ?? 0);
  }

  /** See SpendLedger.add. */
  add(day: string, provider: string, characters: number): void {
    this.bump.run({ day, provider, n: Math.round(characters) });
  }
}
