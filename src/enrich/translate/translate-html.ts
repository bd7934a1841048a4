import { sanitizeHtml } from '../../extract/sanitize.js';
import { checkFidelity } from './fidelity.js';
import { glossaryVersion, type Glossary } from './glossary.js';
import { codeTexts, escapeText, fragmentText, linkTargets, restoreKeeps, splitHtml, tagNames, unwrapLooseRuns, type HtmlBlock } from './segment-html.js';
import { translationCacheKey, type CacheEntry, type TranslationCache } from './translation-cache.js';
import type { TranslationCost, Translator } from './translator.js';

/** The text of an item to translate. */
export interface ArticleText {
  /** Plain text. */
  title: string;
  /** Sanitized HTML, or null when the item has no body. */
  contentHtml: string | null;
}

/** The outcome of translating one item. */
export interface ArticleTranslation {
  /**
   * `ok`: every segment passed the fidelity guard and `title`/`contentHtml` are the translation.
   * `flagged`: some segment lost tokens even after one retry naming them; `title`/`contentHtml`
   * are then the ORIGINALS (an altered fact is never published) and `missing` lists the tokens.
   */
  status: 'ok' | 'flagged';
  title: string;
  contentHtml: string | null;
  /** Source tokens absent from the translation (empty when ok). */
  missing: string[];
  /** What the translator calls cost (both attempts); zero when everything came from the cache. */
  cost: TranslationCost;
  provider: string;
  model: string | null;
  /** Segment counts: all, served from the cache, sent to the translator (first attempt). */
  segments: { total: number; cached: number; sent: number };
}

interface Segment {
  /** What is sent. */
  text: string;
  /** Null for the title. */
  block: HtmlBlock | null;
  /** Source plain text, for the guard. */
  plain: string;
  key: string;
}

interface Verdict {
  ok: boolean;
  missing: string[];
  /** Accepted output: plain text for the title, sanitized HTML for a block. */
  value: string;
}

/** What a lost kept element is called in `missing`: its code text or its image URL. */
function describeKeep(outer: string): string {
  const code = codeTexts(outer)[0];
  if (code) return code;
  const src = linkTargets(outer)[0];
  return src ?? outer.slice(0, 80);
}

function multisetMinus(a: string[], b: string[]): string[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else out.push(x);
  }
  return out;
}

/** Checks one translated segment: placeholders, tags, link targets, then the fidelity guard. */
function judge(seg: Segment, translated: string, glossary: Glossary, to: string): Verdict {
  const fidelityOpts = { glossary: glossary.terms, doNotTranslate: glossary.doNotTranslate, to };
  if (seg.block === null) {
    const text = fragmentText(translated).replace(/\s+/g, ' ').trim();
    const f = checkFidelity(seg.plain, text, fidelityOpts);
    const missing = text === '' && seg.plain.trim() !== '' ? [...f.missing, seg.plain] : f.missing;
    return { ok: missing.length === 0, missing, value: text };
  }
  const b = seg.block;
  const restored = restoreKeeps(translated, b.keeps);
  const missing = restored.lost.map(describeKeep);
  // A lost placeholder is reported once, as its code text or image URL, not again as its tags.
  const lostTags = restored.lost.flatMap((k) => tagNames(k));
  for (const t of multisetMinus(multisetMinus(tagNames(b.original), tagNames(restored.html)), lostTags)) missing.push(`<${t}>`);
  missing.push(...multisetMinus(linkTargets(b.original), linkTargets(restored.html)));
  // Nothing may be added either: an engine that slips in links, images or markup is not
  // translating (reported as `+<tag>` / `+url`).
  for (const t of multisetMinus(tagNames(restored.html), tagNames(b.original))) missing.push(`+<${t}>`);
  for (const u of multisetMinus(linkTargets(restored.html), linkTargets(b.original))) missing.push(`+${u}`);
  const f = checkFidelity(seg.plain, fragmentText(restored.html), { ...fidelityOpts, verbatim: codeTexts(b.original) });
  for (const m of f.missing) if (!missing.includes(m)) missing.push(m);
  const empty = fragmentText(restored.html).trim() === '';
  if (empty) missing.push(seg.plain.trim().slice(0, 80));
  return { ok: missing.length === 0, missing, value: sanitizeHtml(restored.html) };
}

/**
 * Translates an item's title and body, keeping the body's structure: the body is split into leaf
 * text blocks (segment-html.ts; images, code and media never sent), each block's inner HTML is one
 * segment, the title (escaped) another; cached segments are not sent; the rest go to the
 * translator in one call (it batches); each answer is checked (placeholders back exactly once,
 * no tag or link target lost, fidelity guard on the plain text); failed segments are sent once
 * more with the lost tokens as `hints`; accepted segments are cached; blocks are put back in
 * place, so every tag, image, link and code block stays where it was and no block is dropped or
 * merged.
 * @param article title (plain text) and body (sanitized HTML or null)
 * @param from source language (BCP 47)
 * @param to target language (BCP 47)
 * @param translator the configured translator
 * @param cache accepted segment translations (keyed by translationCacheKey)
 * @param glossary glossary and do-not-translate list (its version is part of the cache key)
 * @returns see ArticleTranslation (flagged → originals with the missing tokens)
 * @throws the translator's DuofeedError (TRANSLATE_*: e.g. TRANSLATE_SPEND_CAP,
 *   TRANSLATE_SEGMENT_MISMATCH, TRANSLATE_TIMEOUT) — nothing is accepted then except segments
 *   already cached; the caller publishes the original and tries again later
 */
export async function translateArticle(
  article: ArticleText,
  from: string,
  to: string,
  translator: Translator,
  cache: TranslationCache,
  glossary: Glossary,
): Promise<ArticleTranslation> {
  const version = glossaryVersion(glossary);
  const key = (text: string): string =>
    translationCacheKey({ text, from, to, provider: translator.provider, model: translator.model, glossaryVersion: version });
  const split = article.contentHtml !== null ? splitHtml(article.contentHtml) : null;
  const segs: Segment[] = [];
  const titleText = escapeText(article.title.trim());
  segs.push({ text: titleText, block: null, plain: article.title, key: key(titleText) });
  for (const b of split?.blocks ?? []) segs.push({ text: b.segment, block: b, plain: fragmentText(b.original), key: key(b.segment) });

  const cost: TranslationCost = { characters: 0, requests: 0 };
  const values = new Array<string | null>(segs.length).fill(null);
  const hit = await cache.get([...new Set(segs.map((s) => s.key))]);
  segs.forEach((s, i) => {
    const v = hit.get(s.key);
    if (v !== undefined) values[i] = v;
  });
  const cachedCount = values.filter((v) => v !== null).length;

  const missingBySeg = new Map<number, string[]>();
  const attempt = async (todo: number[], hints: string[]): Promise<number[]> => {
    // Identical segments (a repeated caption) are sent once.
    const unique = [...new Set(todo.map((i) => (segs[i] as Segment).text))];
    const res = await translator.translate(unique, from, to, {
      glossary: glossary.terms,
      doNotTranslate: glossary.doNotTranslate,
      ...(hints.length > 0 ? { hints } : {}),
    });
    cost.characters += res.cost.characters;
    cost.requests += res.cost.requests;
    const byText = new Map(unique.map((t, k) => [t, res.segments[k] as string]));
    const failed: number[] = [];
    const accepted: CacheEntry[] = [];
    for (const i of todo) {
      const s = segs[i] as Segment;
      const v = judge(s, byText.get(s.text) as string, glossary, to);
      if (v.ok) {
        values[i] = v.value;
        missingBySeg.delete(i);
        accepted.push({ key: s.key, text: v.value, provider: translator.provider, model: translator.model });
      } else {
        failed.push(i);
        missingBySeg.set(i, v.missing);
      }
    }
    if (accepted.length > 0) await cache.put(accepted);
    return failed;
  };

  const todo = segs.map((_, i) => i).filter((i) => values[i] === null);
  const sentCount = new Set(todo.map((i) => (segs[i] as Segment).text)).size;
  if (todo.length > 0) {
    const failed = await attempt(todo, []);
    if (failed.length > 0) {
      const hints = [...new Set(failed.flatMap((i) => missingBySeg.get(i) ?? []))];
      await attempt(failed, hints);
    }
  }

  const base = { cost, provider: translator.provider, model: translator.model, segments: { total: segs.length, cached: cachedCount, sent: sentCount } };
  const missing = [...new Set([...missingBySeg.values()].flat())];
  if (missing.length > 0) return { ...base, status: 'flagged', title: article.title, contentHtml: article.contentHtml, missing };

  let contentHtml = article.contentHtml;
  if (split) {
    segs.forEach((s, i) => {
      if (s.block) split.$(s.block.el).html(s.block.lead + (values[i] as string) + s.block.trail);
    });
    unwrapLooseRuns(split.$);
    contentHtml = split.$.html();
  }
  return { ...base, status: 'ok', title: values[0] as string, contentHtml, missing: [] };
}
