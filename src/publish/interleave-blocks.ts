import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { finishLooseRuns, leafTextBlocks, wrapLooseRuns } from '../extract/text-blocks.js';

/**
 * Blocks whose translation goes inside them (after a line break) rather than after them: a second
 * `<li>`/`<td>` would add a list entry or a table column, a second `<figcaption>` is not allowed.
 */
const PAIR_INSIDE = new Set(['li', 'td', 'th', 'dt', 'dd', 'figcaption', 'caption']);

/** One other-language body to pair with the primary one. */
export interface OtherBody {
  /** BCP 47 tag written as `lang` on its blocks. */
  lang: string;
  html: string;
}

/** Outcome of {@link interleaveBlocks}: the merged body, or why the bodies cannot be paired. */
export type InterleaveResult = { ok: true; html: string } | { ok: false; reason: string };

/**
 * Puts each text block of the other versions right after the corresponding block of the primary
 * version. Blocks are paired by position (the translator keeps every block, in order); each
 * inserted block carries `lang` and the class `duofeed-alt`. A pair whose inner HTML is
 * identical (an image-only paragraph, an untranslated name) is shown once. Images, code and
 * anything outside the text blocks come from the primary version only, which is why pairing
 * requires that this residue reads the same in every version.
 * @param primaryHtml body of the primary version (sanitized HTML fragment)
 * @param others bodies of the other versions, in display order
 * @returns `{ok: true, html}`; `{ok: false, reason}` when a version has a different number of
 *   blocks, a different block at some position, or different text outside the blocks (the
 *   caller then falls back to the stacked layout)
 */
export function interleaveBlocks(primaryHtml: string, others: readonly OtherBody[]): InterleaveResult {
  const $ = cheerio.load(primaryHtml, null, false);
  wrapLooseRuns($);
  const primary = leafTextBlocks($);
  const loaded = others.map((o) => {
    const other = cheerio.load(o.html, null, false);
    wrapLooseRuns(other);
    return { lang: o.lang, $: other };
  });
  for (const other of loaded) {
    const blocks = leafTextBlocks(other.$);
    if (blocks.length !== primary.length) return { ok: false, reason: `${primary.length} text blocks in the primary version, ${blocks.length} in ${other.lang}` };
    const at = blocks.findIndex((b, i) => b.tagName !== primary[i]!.tagName);
    if (at >= 0) return { ok: false, reason: `block ${at + 1} is <${primary[at]!.tagName}> in the primary version, <${blocks[at]!.tagName}> in ${other.lang}` };
    if (residueText($, primary) !== residueText(other.$, blocks)) return { ok: false, reason: `the text outside the blocks differs in ${other.lang}` };
  }
  const pairs = loaded.map((o) => ({ lang: o.lang, $: o.$, blocks: leafTextBlocks(o.$) }));
  primary.forEach((block, i) => {
    const mine = $(block).html() ?? '';
    let after = block;
    for (const other of pairs) {
      const theirs = other.blocks[i]!;
      const inner = other.$(theirs).html() ?? '';
      if (inner.trim() === mine.trim()) continue;
      if (PAIR_INSIDE.has(block.tagName)) {
        $(block).append(`<br><span lang="${attr(other.lang)}" class="duofeed-alt">${inner}</span>`);
        continue;
      }
      const copy = other.$(theirs).clone();
      copy.attr('lang', other.lang);
      copy.addClass('duofeed-alt');
      const node = $(other.$.html(copy));
      $(after).after(node);
      after = node.get(0) as Element;
    }
  });
  // Loose text runs became paragraphs so they could be paired; they stay paragraphs.
  finishLooseRuns($, 'keep-as-paragraphs');
  return { ok: true, html: $.html() };
}

// The text of the fragment outside the blocks, whitespace-collapsed.
function residueText($: CheerioAPI, blocks: readonly Element[]): string {
  const skip = new Set<AnyNode>(blocks);
  let out = '';
  const walk = (nodes: readonly AnyNode[]): void => {
    for (const n of nodes) {
      if (skip.has(n)) continue;
      if (n.type === 'text') out += ` ${n.data}`;
      else if ('children' in n) walk(n.children as AnyNode[]);
    }
  };
  walk($.root().get(0)?.children ?? []);
  return out.replace(/\s+/g, ' ').trim();
}

function attr(value: string): string {
  return value.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
