/** What the config schema allows as a source id: `^[a-z0-9][a-z0-9_-]{0,63}$`. */
const MAX_ID_LENGTH = 64;

/** Lower-case ASCII slug of a text: accents folded, every other run of characters turned into `-`. */
function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The feed's host without `www.`, dots as dashes (`www.qbitai.com` → `qbitai-com`); '' when not a URL. */
function hostSlug(url: string): string {
  try {
    return slug(new URL(url).hostname.replace(/^www\./, ''));
  } catch {
    return '';
  }
}

/**
 * A new source id matching the schema's pattern `^[a-z0-9][a-z0-9_-]{0,63}$`, unique among
 * `taken`: the slug of the name (accents folded: "Science étonnante" → `science-etonnante`);
 * when the name has letters outside the Latin script (量子位, 36氪) or no letters or digits at
 * all, the slug of the feed's host without `www.` (`qbitai-com`); then `source`. A taken id gets `-2`, `-3` … (the base shortened so the id stays within 64
 * characters). The id returned is added to `taken`.
 * @param name source name (may be null)
 * @param feedUrl feed URL (for the host fallback)
 * @param taken ids already in use (config and this import); mutated
 * @returns the id
 */
export function uniqueSourceId(name: string | null, feedUrl: string, taken: Set<string>): string {
  // A name in another script (量子位, 36氪) would lose its letters in an ASCII slug; the host names it better.
  const fromName = name !== null && !/[^\P{L}\p{Script=Latin}]/u.test(name) ? slug(name) : '';
  const base = (fromName || hostSlug(feedUrl) || 'source').slice(0, MAX_ID_LENGTH).replace(/-+$/, '');
  let id = base;
  for (let n = 2; taken.has(id); n++) {
    const suffix = `-${n}`;
    id = `${base.slice(0, MAX_ID_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
  }
  taken.add(id);
  return id;
}
