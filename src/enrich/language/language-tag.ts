/**
 * Small BCP 47 (RFC 5646) helpers: case normalization, the primary subtag, and the Chinese
 * script implied by a tag's script or region subtag.
 */

/**
 * A tag in its conventional case (RFC 5646 §2.1.1): language lower case, script title case,
 * region upper case, e.g. `ZH-hant-tw` → `zh-Hant-TW`, `en_us` → `en-US`.
 * @param tag any-case tag; `_` is accepted as separator
 * @returns the normalized tag; `''` for an empty input
 */
export function normalizeTag(tag: string): string {
  const parts = tag.trim().replace(/_/g, '-').split('-').filter((p) => p !== '');
  return parts
    .map((p, i) => {
      if (i === 0) return p.toLowerCase();
      if (p.length === 4 && /^[a-z]+$/i.test(p)) return p[0]!.toUpperCase() + p.slice(1).toLowerCase();
      if (p.length === 2 && /^[a-z]+$/i.test(p)) return p.toUpperCase();
      if (/^\d{3}$/.test(p)) return p;
      return p.toLowerCase();
    })
    .join('-');
}

/**
 * The primary language subtag, lower case: `zh-CN` → `zh`, `en` → `en`.
 * @param tag BCP 47 tag
 * @returns primary subtag; `''` for an empty tag
 */
export function primarySubtag(tag: string): string {
  return (tag.trim().split(/[-_]/)[0] ?? '').toLowerCase();
}

const HANT_REGIONS = new Set(['TW', 'HK', 'MO']);

/**
 * Chinese script a tag implies: its script subtag (`zh-Hant`), else its region (TW/HK/MO write
 * Traditional, every other region Simplified).
 * @param tag BCP 47 tag
 * @returns 'Hans' | 'Hant', or null when the tag names neither script nor region, or is not Chinese
 */
export function impliedChineseScript(tag: string): 'Hans' | 'Hant' | null {
  const parts = normalizeTag(tag).split('-');
  if (parts[0] !== 'zh') return null;
  const script = parts.find((p, i) => i > 0 && p.length === 4);
  if (script === 'Hans' || script === 'Hant') return script;
  const region = parts.find((p, i) => i > 0 && p.length === 2);
  if (region === undefined) return null;
  return HANT_REGIONS.has(region) ? 'Hant' : 'Hans';
}

/**
 * Whether an item in language `tag` is already in the `target` language, so it needs no
 * translation into it. The primary subtags must agree (`zh-CN` matches `zh`, `en-GB` matches
 * `en` and `en-US`: regional variants of English, German … are one written language). For
 * Chinese a target that implies a script (`zh-CN`, `zh-TW`, `zh-Hant`) also needs the item's
 * script to agree when the item's tag implies one: `zh-TW` does not match `zh-CN`.
 * @param tag the item's detected language (BCP 47), e.g. from detectLanguage
 * @param target the wanted language (BCP 47), e.g. an `output.languages` entry
 * @returns true when no translation into `target` is needed
 */
export function isTargetLanguage(tag: string, target: string): boolean {
  const a = primarySubtag(tag);
  if (a === '' || a !== primarySubtag(target)) return false;
  if (a !== 'zh') return true;
  const want = impliedChineseScript(target);
  const have = impliedChineseScript(tag);
  return want === null || have === null || want === have;
}
