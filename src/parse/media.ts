import type { Element } from 'domhandler';
import type { RawEnclosure } from './raw-feed.js';
import { NS, type XmlDoc } from './xml-dom.js';

/** Media RSS found on one item. */
export interface ItemMedia {
  /** media:thumbnail URL (first, item level before group level). */
  thumbnail: string | null;
  /** Lead image chosen among image media:content (isDefault first, then widest). */
  image: string | null;
  /** media:content as enclosures: standalone ones, plus the chosen one of each media:group. */
  enclosures: RawEnclosure[];
}

/**
 * Reads Media RSS (http://search.yahoo.com/mrss/) from an RSS item or Atom entry, matching the
 * namespace by URI whatever its prefix, and walking `media:group` (case 10).
 * @param doc parsed document
 * @param item the `<item>`/`<entry>` element
 * @returns thumbnail, chosen image and enclosures; URLs as written (maybe relative)
 */
export function readMedia(doc: XmlDoc, item: Element): ItemMedia {
  const groups = doc.nsChildren(item, NS.media, 'group');
  const thumbs = [item, ...groups].flatMap((el) => doc.nsChildren(el, NS.media, 'thumbnail'));
  const thumbnail = thumbs.map((t) => t.attribs.url?.trim()).find((u) => u) ?? null;

  const standalone = doc.nsChildren(item, NS.media, 'content').filter((c) => c.attribs.url?.trim());
  const chosen = groups
    .map((g) => pick(doc.nsChildren(g, NS.media, 'content').filter((c) => c.attribs.url?.trim())))
    .filter((c): c is Element => c !== null);
  const all = [...standalone, ...chosen];
  const images = all.filter(isImage);
  const image = pick(images)?.attribs.url?.trim() ?? null;
  const enclosures: RawEnclosure[] = all.map((c) => ({
    url: (c.attribs.url ?? '').trim(),
    type: c.attribs.type?.trim() || null,
    length: toLength(c.attribs.fileSize),
    title: null,
  }));
  return { thumbnail, image, enclosures };
}

function isImage(c: Element): boolean {
  const type = c.attribs.type?.toLowerCase() ?? '';
  const medium = c.attribs.medium?.toLowerCase() ?? '';
  if (type.startsWith('image/') || medium === 'image') return true;
  return type === '' && medium === '' && /\.(?:jpe?g|png|gif|webp|avif)(?:[?#]|$)/i.test(c.attribs.url ?? '');
}

/** isDefault="true" wins, then the widest; document order breaks ties. */
function pick(contents: Element[]): Element | null {
  const def = contents.find((c) => c.attribs.isDefault?.trim().toLowerCase() === 'true');
  if (def) return def;
  let best: Element | null = null;
  let bestWidth = -1;
  for (const c of contents) {
    const w = Number(c.attribs.width ?? 0) || 0;
    if (w > bestWidth) {
      best = c;
      bestWidth = w;
    }
  }
  return best;
}

/**
 * A declared byte length: a non-negative integer, else null.
 * @param v attribute or JSON value
 */
export function toLength(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  return Number.isInteger(n) && n >= 0 ? n : null;
}
