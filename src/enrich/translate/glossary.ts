import { createHash } from 'node:crypto';

/** Glossary and do-not-translate list (`translation.glossary`, `translation.doNotTranslate`). */
export interface Glossary {
  /** Term → fixed translation. */
  terms: Record<string, string>;
  /** Terms kept verbatim. */
  doNotTranslate: string[];
}

/** An empty glossary. */
export const NO_GLOSSARY: Glossary = Object.freeze({ terms: {}, doNotTranslate: [] }) as Glossary;

/**
 * Version of a glossary for cache keys: the first 16 hex digits of sha256 over its sorted
 * entries, so editing the glossary invalidates exactly the translations made under the old one.
 */
export function glossaryVersion(g: Glossary): string {
  const terms = Object.entries(g.terms).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const keep = [...g.doNotTranslate].sort();
  return createHash('sha256').update(JSON.stringify([terms, keep])).digest('hex').slice(0, 16);
}

/**
 * The glossary for one target language from the config shape of feeds.config.json
 * (`glossary: {"zh": {"attention": "注意力"}}`, `doNotTranslate: [...]`): the entry of the exact
 * tag (case-insensitive) merged over the entry of its base language (`zh-CN` uses `zh` too).
 */
export function glossaryFor(
  config: { glossary?: Record<string, Record<string, string>>; doNotTranslate?: string[] } | null | undefined,
  to: string,
): Glossary {
  const byLang = config?.glossary ?? {};
  const find = (tag: string): Record<string, string> =>
    Object.entries(byLang).find(([k]) => k.toLowerCase() === tag.toLowerCase())?.[1] ?? {};
  const base = to.split(/[-_]/)[0] ?? to;
  return { terms: { ...find(base), ...(base.toLowerCase() === to.toLowerCase() ? {} : find(to)) }, doNotTranslate: [...(config?.doNotTranslate ?? [])] };
}
