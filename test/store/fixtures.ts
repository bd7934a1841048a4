import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ArticleInput, FeedItem, SourceState } from '../../src/types.js';
import { initialState } from '../../src/pipeline/source-state.js';

/** A fresh temp directory for one test's database. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'duofeed-store-'));
}

/** Removes a temp directory made by tempDir. */
export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A FeedItem with every field set to null/empty except those given. */
export function feedItem(over: Partial<FeedItem> & { guid: string }): FeedItem {
  return {
    url: null,
    canonicalUrl: null,
    title: `Title of ${over.guid}`,
    publishedAt: null,
    modifiedAt: null,
    dateHadNoZone: false,
    author: null,
    summaryHtml: null,
    contentHtml: null,
    categories: [],
    enclosures: [],
    imageUrl: null,
    ...over,
  };
}

/** An ArticleInput without extraction or enrichment. */
export function input(sourceId: string, item: FeedItem, over: Partial<ArticleInput> = {}): ArticleInput {
  return { sourceId, item, extraction: null, language: null, keywords: {}, translations: {}, ...over };
}

/** A first-poll SourceState. */
export function state(sourceId: string, over: Partial<SourceState> = {}): SourceState {
  return { ...initialState({ id: sourceId, url: `https://${sourceId}.example.com/feed.xml` }), configUrl: null, ...over };
}
