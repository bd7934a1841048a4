import type { Logger } from '../logger.js';
import type { Article, ArticleInput, SourceConfig, Translation } from '../types.js';
import { articleToItem } from '../store/content-hash.js';
import type { Store } from '../store/store.js';
import { DuofeedError } from '../errors.js';
import { primarySubtag } from './language/language-tag.js';
import { translateVersion, type EnrichDeps } from './enrich-item.js';
import { extractKeywords } from './keywords/extract-keywords.js';
import { htmlToText } from '../extract/html-to-text.js';

/** What `/healthz` shows of the backfill. */
export interface BackfillProgress {
  provider: string;
  running: boolean;
  lastRunAt: string | null;
  /** Items still lacking a translation into an output language (in the newest scanned). */
  backlog: number;
  /** Totals since start. */
  translated: number;
  flagged: number;
  failed: number;
  /** Set while the engine is paused (spend cap reached, or rate limited). */
  pausedUntil: string | null;
}

/** Output languages an article still lacks (its own language and flagged ones count as done). */
export function missingLanguages(a: Article, languages: readonly string[], declared: string | null): string[] {
  const own = primarySubtag(a.language ?? declared ?? 'und');
  return languages.filter((l) => l !== own && !a.translations[l]);
}

/**
 * Translates stored items that have no translation yet (a provider configured after they were
 * stored, or a translation that failed or paused earlier), newest first, within the translator's
 * own rate and spend limits. Each translated item is written back in place through the store's
 * per-source transaction. Never throws; stops a run at the first pause (spend cap, rate limit).
 */
export class TranslationBackfill {
  private state: BackfillProgress;
  private busy: Promise<BackfillProgress> | null = null;

  /**
   * @param deps enrich dependencies (translator null = nothing to do)
   * @param store where articles are read and written
   * @param sources configured sources (declared languages)
   * @param opts scan: how many newest articles to look at; batch: most items translated per run
   */
  constructor(
    private readonly deps: EnrichDeps,
    private readonly store: Store,
    private readonly sources: readonly SourceConfig[],
    private readonly opts: { scan: number; batch: number } = { scan: 500, batch: 50 },
  ) {
    this.state = {
      provider: deps.config.translation.provider,
      running: false,
      lastRunAt: null,
      backlog: 0,
      translated: 0,
      flagged: 0,
      failed: 0,
      pausedUntil: null,
    };
  }

  /** Current progress (a copy). */
  progress(): BackfillProgress {
    return { ...this.state };
  }

  /** Resolves when the pass in progress (if any) has finished; starts none. */
  async drain(): Promise<void> {
    await this.busy?.catch(() => undefined);
  }

  /**
   * Runs passes until the backlog is empty, the engine pauses, or `maxPasses` passes are done
   * (or joins the run already in progress).
   */
  run(maxPasses = 20): Promise<BackfillProgress> {
    this.busy ??= (async () => {
      let p = this.progress();
      for (let i = 0; i < maxPasses; i++) {
        const before = p.translated + p.flagged;
        p = await this.pass();
        if (p.backlog === 0 || p.pausedUntil || p.translated + p.flagged === before) break;
      }
      return p;
    })().finally(() => {
      this.busy = null;
    });
    return this.busy;
  }

  private async pass(): Promise<BackfillProgress> {
    const { translator, clock, config } = this.deps;
    const log = this.deps.logger.child({ stage: 'backfill' });
    if (!translator) return this.progress();
    const now = clock.now();
    if (this.state.pausedUntil && Date.parse(this.state.pausedUntil) > now.getTime()) return this.progress();
    this.state.running = true;
    this.state.pausedUntil = null;
    const declared = new Map(this.sources.map((s) => [s.id, s.language] as const));
    try {
      const articles = await this.store.listArticles({ limit: this.opts.scan });
      const todo = articles.filter((a) => missingLanguages(a, config.output.languages, declared.get(a.sourceId) ?? null).length > 0);
      this.state.backlog = todo.length;
      let done = 0;
      for (const a of todo.slice(0, this.opts.batch)) {
        const ok = await this.translateOne(a, declared.get(a.sourceId) ?? null, log);
        if (!ok) break;
        done++;
        this.state.backlog--;
      }
      if (done > 0 || todo.length > 0) log.info({ ...this.progress(), running: undefined }, `translation backfill: ${done} item(s) done, ${this.state.backlog} waiting`);
    } catch (err) {
      log.error({ err, code: err instanceof DuofeedError ? err.code : 'INTERNAL' }, 'translation backfill failed');
      this.deps.metrics?.errorRecorded(err instanceof DuofeedError ? err.code : 'INTERNAL', err instanceof DuofeedError ? err.stage : 'enrich');
    } finally {
      this.state.running = false;
      this.state.lastRunAt = clock.now().toISOString();
    }
    return this.progress();
  }

  /** @returns false when the engine paused or failed (stop this pass) */
  private async translateOne(a: Article, declared: string | null, log: Logger): Promise<boolean> {
    const language = a.language ?? declared ?? 'und';
    const version = { title: a.title, contentHtml: a.contentHtml ?? a.feedContentHtml ?? a.summaryHtml };
    const translations: Record<string, Translation> = { ...a.translations };
    const keywords: Record<string, string[]> = { ...a.keywords };
    for (const to of missingLanguages(a, this.deps.config.output.languages, declared)) {
      if (this.deps.signal?.aborted) return false;
      let failure: unknown = null;
      const t = await translateVersion(version, language, to, this.deps, log.child({ sourceId: a.sourceId, url: a.url }), (e) => (failure = e));
      if (!t) {
        if (this.deps.signal?.aborted) return false;
        // A pause (spend cap until the next UTC day, or a failing engine for 10 min) ends the
        // pass; the next pass after it tries again.
        const resumeAt = failure instanceof DuofeedError && typeof failure.details.resumeAt === 'string' ? failure.details.resumeAt : null;
        if (resumeAt === null) this.state.failed++;
        this.state.pausedUntil = resumeAt ?? new Date(this.deps.clock.now().getTime() + 10 * 60_000).toISOString();
        return false;
      }
      translations[to] = t;
      if (t.status === 'flagged') this.state.flagged++;
      else {
        this.state.translated++;
        const doc = { title: t.title, text: t.contentHtml ? htmlToText(t.contentHtml) : '', language: to };
        this.deps.idf.addDocument(doc);
        keywords[to] = extractKeywords(doc, { ...this.deps.config.keywords, idf: this.deps.idf });
      }
    }
    const state = await this.store.getSourceState(a.sourceId);
    if (!state) return true;
    const input: ArticleInput = { sourceId: a.sourceId, item: articleToItem(a), extraction: null, language, keywords, translations };
    await this.store.savePoll(a.sourceId, [input], state);
    return true;
  }
}
