import { readFileSync } from 'node:fs';
import { corpus } from './paths.js';

/**
 * Benchmark pages the end-to-end test links from its built feed: the first 20 page ids of the
 * article-extraction benchmark in sorted order (a fixed rule, not a pick of pages that pass).
 */
export const E2E_PAGE_IDS: string[] = Object.keys(
  JSON.parse(readFileSync(corpus('extraction', 'article-extraction-benchmark', 'ground-truth.json'), 'utf8')) as Record<string, unknown>,
)
  .sort()
  .slice(0, 20);
