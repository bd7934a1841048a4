import type { CheerioAPI } from 'cheerio';

/** Collects every `articleBody` string in a parsed JSON-LD value (arrays, `@graph`, nesting). */
function collect(value: unknown, out: string[], depth = 0): void {
  if (depth > 8 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out, depth + 1);
    return;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key === 'articleBody' && typeof v === 'string') out.push(v);
    else collect(v, out, depth + 1);
  }
}

/**
 * The longest `articleBody` declared in the page's JSON-LD (`<script type="application/ld+json">`,
 * schema.org Article/NewsArticle/BlogPosting), used only as a hint where the article sits in the
 * page, never as the stored body (it is often truncated or stripped of links and images).
 * @param $ loaded cheerio document, before scripts are removed
 * @returns the text, or null when absent; malformed JSON is ignored (never throws)
 */
export function jsonLdArticleBody($: CheerioAPI): string | null {
  const bodies: string[] = [];
  $('script[type="application/ld+json" i]').each((_, el) => {
    try {
      collect(JSON.parse($(el).text()), bodies);
    } catch {
      // Sites ship broken JSON-LD (trailing commas, raw newlines); it is only a hint.
    }
  });
  return bodies.sort((a, b) => b.length - a.length)[0] ?? null;
}
