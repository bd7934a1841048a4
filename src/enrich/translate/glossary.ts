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
