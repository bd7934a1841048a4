import type { Article } from '../types.js';
import { toXmlChars } from './xml-chars.js';

/**
 * Item identity across outputs and language views.
 *
 * An item shown in its original language is one entry wherever it appears (merged feed,
 * per-source and per-tag feeds, filtered feeds, every page, the view of its language, every
 * rebuild), so it keeps one id, decided from the item and what is stored about it alone
 * ({@link originalItemId}): readers take a new id for a new item, so an id that changed when
 * another source published the same guid made readers show the item twice. An item shown in a
 * translation is a different text: readers that key their cache by id across all subscriptions
 * (newsboat keys by guid over the whole profile) would otherwise keep only one language's version
 * of it when subscribed to two views. Such an item gets an id of its own per language, derived
 * only from the original's id and the language, so it is stable across rebuilds.
 */

/** Fragment parameter naming the language of a translation's id (`…#duofeed-lang=zh`). */
export const LANG_MARKER = 'duofeed-lang';

/**
 * Whether an id can serve as an Atom id as it is (RFC 4287 §4.2.6: an IRI): a scheme
 * (RFC 3986 §3.1) followed by `:` and no whitespace. Feeds' guids are often plain numbers or slugs.
 * @param id published item id
 */
export function isIriLike(id: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\S+$/i.test(id);
}

/**
 * `urn:duofeed:article:<store id>`: unique by construction (store ids are the primary key) and
 * stable (a hash of source and identity key, store/sqlite/article-id.ts).
 * @param articleId the article's store id (filtered to XML `Char`; store ids are hex anyway)
 */
export function urnId(articleId: string): string {
  return `urn:duofeed:article:${toXmlChars(articleId)}`;
}

/**
 * The id an item is published with in its original language (RSS `<guid>`, JSON Feed `id`; the
 * Atom `<id>` is its {@link iriId}). The rule:
 * - the item's guid, filtered to XML 1.0 `Char`, when the item owns it: of every stored article
 *   carrying that guid (any source) it was seen first (`Article.guidOwner`, earliest
 *   `firstSeenAt`, then smallest store id) — and the guid is not empty;
 * - else `urn:duofeed:article:<store id>` ({@link urnId}).
 * Ownership never passes from an item to one stored after it, so an item never changes id
 * because another item appears, and only the later item (new, not yet published) gets the urn.
 * RSS marks the guid `isPermaLink="true"` only when it equals the item's link.
 * @param article the stored article (`id`, `guid`)
 * @param ownsGuid whether this article claimed its guid first
 * @returns the id, unique among items that own their guids and distinct store ids
 */
export function originalItemId(article: Pick<Article, 'id' | 'guid'>, ownsGuid: boolean): string {
  const guid = toXmlChars(article.guid);
  return ownsGuid && guid !== '' ? guid : urnId(article.id);
}

/**
 * The IRI form of an item id: the id itself when it is one ({@link isIriLike}), else
 * `urn:duofeed:article:<store id>` (the store id is stable: a hash of source and guid, or the URL).
 * @param id published item id
 * @param articleId the article's store id
 * @returns an IRI usable as Atom `<id>`
 */
export function iriId(id: string, articleId: string): string {
  return isIriLike(id) ? id : urnId(articleId);
}

/**
 * The id of an item shown in a translation: the original's IRI with the language added as a
 * fragment parameter, `https://example.com/post` → `https://example.com/post#duofeed-lang=zh`
 * (joined with `&` when the original already has a fragment: `…/post#c1&duofeed-lang=zh`).
 *
 * Why a fragment: `&`, `=`, `-` and letters are allowed in an IRI fragment (RFC 3987 §2.2
 * `ifragment`), so the result is an IRI whenever the original is, and it keeps the original's
 * scheme; the text still shows which entry it translates; and a reader that opens it anyway
 * lands on the original article. It is not the link, so RSS writes it with `isPermaLink="false"`.
 * @param originalIri the original's IRI ({@link iriId})
 * @param languageKey primary language subtag of the translation (`zh`, `en`); percent-encoded
 *   if it holds anything outside the unreserved set (a configured tag never does)
 * @returns the translation's id, the same in RSS, Atom and JSON Feed
 */
export function translationId(originalIri: string, languageKey: string): string {
  const marker = `${LANG_MARKER}=${encodeURIComponent(languageKey)}`;
  return originalIri.includes('#') ? `${originalIri}&${marker}` : `${originalIri}#${marker}`;
}
