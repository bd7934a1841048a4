import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { classAndId } from './remove-boilerplate.js';
import { nodeText } from './node-text.js';
import { commaCount, textLength } from './text-stats.js';

/** Switches of one scoring attempt; a failed strict attempt is retried more leniently. */
export interface ScoreOptions {
  /** Drop elements whose class/id reads like page furniture (sidebar, menu, …) before scoring. */
  stripUnlikely: boolean;
  /** Add/subtract class/id weights to/from candidate scores. */
  weightClasses: boolean;
  /** Remove link-heavy / image-heavy / list-heavy blocks from the chosen content. */
  cleanConditionally: boolean;
  /** Plain text of the page's JSON-LD `articleBody`, a hint where the article is. */
  hintText: string | null;
}

const UNLIKELY = /-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|newsletter|promo/;
const MAYBE = /and|article|body|column|content|main|mathjax|shadow|story|entry|post/;
const POSITIVE = /article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story/;
const NEGATIVE = /-ad-|(?:^|[^a-z])ads?(?:[^a-z]|$)|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget|nav|menu|byline|author|newsletter|subscribe|recommend/;

/** Tags whose own text is a unit of prose. */
const UNIT_TAGS = new Set(['p', 'pre', 'td', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** Containers whose loose inline text counts as a paragraph (Readability turns them into `<p>`). */
const CONTAINER_TAGS = new Set(['div', 'section', 'article', 'main', 'center', 'font', 'td', 'blockquote']);
/** Block-level tags: a container holding one is not itself a paragraph. */
const BLOCK_TAGS = new Set(['address', 'article', 'aside', 'blockquote', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'ul', 'select', 'img', 'picture', 'video', 'iframe']);

const elementChildren = (el: Element): Element[] => el.children.filter((c): c is Element => c.type === 'tag');

function contains(ancestor: AnyNode, node: AnyNode): boolean {
  for (let n: AnyNode | null = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

/**
 * Share of an element's text that sits inside links (0–1); fragment links count 30% because
 * in-page footnote/anchor links are part of prose.
 */
export function linkDensity(el: Element, $: CheerioAPI): number {
  const total = textLength(nodeText(el));
  if (total === 0) return 0;
  let links = 0;
  $(el)
    .find('a')
    .each((_, a) => {
      const weight = /^#/.test(a.attribs.href ?? '') ? 0.3 : 1;
      links += textLength(nodeText(a)) * weight;
    });
  return Math.min(1, links / total);
}

/** Letters and digits only, lower-cased: text comparable across markup and whitespace. */
const squash = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** Scores, candidate set and helpers of one attempt. */
class Scorer {
  readonly scores = new Map<Element, number>();
  constructor(
    private readonly $: CheerioAPI,
    private readonly opts: ScoreOptions,
  ) {}

  classWeight(el: Element): number {
    if (!this.opts.weightClasses) return 0;
    let weight = 0;
    for (const value of [el.attribs.class, el.attribs.id]) {
      if (!value) continue;
      const v = value.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
      if (NEGATIVE.test(v)) weight -= 25;
      if (POSITIVE.test(v)) weight += 25;
    }
    return weight;
  }

  private baseScore(el: Element): number {
    let score = 0;
    if (el.name === 'div' || el.name === 'article') score = 5;
    else if (['pre', 'td', 'blockquote'].includes(el.name)) score = 3;
    else if (['address', 'ol', 'ul', 'dl', 'dd', 'dt', 'li', 'form'].includes(el.name)) score = -3;
    else if (/^h[1-6]$/.test(el.name) || el.name === 'th') score = -5;
    // Semantic article markup is a strong hint the page author gave us.
    if (el.name === 'article') score += 10;
    if (el.attribs.itemprop === 'articleBody') score += 30;
    return score + this.classWeight(el);
  }

  add(el: Element, amount: number): void {
    if (!this.scores.has(el)) this.scores.set(el, this.baseScore(el));
    this.scores.set(el, (this.scores.get(el) ?? 0) + amount);
  }

  score(el: Element): number {
    return this.scores.get(el) ?? 0;
  }

  init(el: Element): void {
    if (!this.scores.has(el)) this.scores.set(el, this.baseScore(el));
  }
}

/** Removes elements whose class/id reads like page furniture, unless they may hold content. */
function stripUnlikely($: CheerioAPI, body: Element): void {
  for (const el of $(body).find('*').toArray()) {
    if (['a', 'body', 'article', 'main', 'table', 'tbody', 'tr', 'td', 'th', 'code', 'pre'].includes(el.name)) continue;
    const names = classAndId(el);
    if (!names.trim() || !UNLIKELY.test(names) || MAYBE.test(names)) continue;
    if ($(el).closest('table, code, pre').length > 0) continue;
    if ($(el).find('article, main, [itemprop=articleBody]').length > 0) continue;
    // A "social-media-embed" wrapper around a quoted post is content the author embedded.
    if ($(el).children('blockquote').length > 0) continue;
    $(el).remove();
  }
}

/** Text of an element's own inline children (not inside block children). */
function looseText(el: Element): string {
  let out = '';
  for (const child of el.children) {
    if (child.type === 'text') out += child.data;
    else if (child.type === 'tag' && !BLOCK_TAGS.has(child.name)) out += nodeText(child);
  }
  return out;
}

/** Gives each prose unit's score to its ancestors (parent full, grandparent half, then 1/(3·level)). */
function scoreUnits(scorer: Scorer, body: Element, $: CheerioAPI): void {
  for (const el of $(body).find('*').toArray()) {
    let text: string;
    let first: Element | null;
    const hasBlock = el.children.some((c) => c.type === 'tag' && BLOCK_TAGS.has(c.name));
    if (UNIT_TAGS.has(el.name) && !hasBlock) {
      text = nodeText(el);
      first = el.parent?.type === 'tag' ? el.parent : null;
    } else if (CONTAINER_TAGS.has(el.name)) {
      text = looseText(el);
      // A container with only inline content is itself a paragraph; with mixed content its
      // loose text is a paragraph inside it.
      first = hasBlock ? el : el.parent?.type === 'tag' ? el.parent : null;
    } else continue;
    const length = textLength(text);
    if (length < 25 || !first) continue;
    const contentScore = 1 + commaCount(text) + Math.min(Math.floor(length / 100), 3);
    let level = 0;
    for (let a: Element | null = first; a && level < 5; a = a.parent?.type === 'tag' ? a.parent : null, level++) {
      if (a.name === 'html') break;
      const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
      scorer.add(a, contentScore / divider);
    }
  }
}

/** The deepest scored candidate whose text holds the start and the end of the JSON-LD body. */
function hintedCandidate(scorer: Scorer, hint: string): Element | null {
  const h = squash(hint);
  if (h.length < 200) return null;
  const head = h.slice(0, 80);
  const tail = h.slice(-80);
  let best: Element | null = null;
  let bestLength = Infinity;
  for (const el of scorer.scores.keys()) {
    const t = squash(nodeText(el));
    if (t.length < bestLength && t.includes(head) && t.includes(tail)) {
      best = el;
      bestLength = t.length;
    }
  }
  return best;
}

/** Picks the top candidate (Readability's refinements: shared ancestor of near-top candidates, climbing while parents score higher, single-child wrappers). */
function pickTop(scorer: Scorer, $: CheerioAPI, body: Element, hint: string | null): Element | null {
  for (const [el, s] of scorer.scores) scorer.scores.set(el, s * (1 - linkDensity(el, $)));
  const ranked = [...scorer.scores.entries()].sort((a, b) => b[1] - a[1]).map(([el]) => el);
  let top = ranked[0];
  const hinted = hint ? hintedCandidate(scorer, hint) : null;
  if (hinted) {
    scorer.scores.set(hinted, Math.max(scorer.score(hinted), top ? scorer.score(top) : 0) + 1);
    return hinted;
  }
  if (!top || top === body) return null;
  const topScore = scorer.score(top);
  const near = ranked.slice(1, 5).filter((el) => scorer.score(el) / topScore >= 0.75);
  if (near.length >= 3) {
    for (let p = top.parent; p && p.type === 'tag' && p !== body; p = p.parent) {
      if (near.filter((el) => contains(p as Element, el)).length >= 3) {
        top = p;
        break;
      }
    }
  }
  scorer.init(top);
  let last = scorer.score(top);
  const threshold = last / 3;
  for (let p = top.parent; p && p.type === 'tag' && p !== body; p = p.parent) {
    if (!scorer.scores.has(p)) continue;
    const s = scorer.score(p);
    if (s < threshold) break;
    if (s > last) {
      top = p;
      break;
    }
    last = s;
  }
  while (top.parent && top.parent.type === 'tag' && top.parent !== body && elementChildren(top.parent).length === 1) {
    top = top.parent;
  }
  scorer.init(top);
  return top;
}

/** Collects the top candidate and its qualifying siblings into a fresh `<div>`. */
function gather(scorer: Scorer, $: CheerioAPI, top: Element): Element {
  const container = $('<div></div>')[0] as Element;
  const parent = top.parent;
  if (!parent || parent.type !== 'tag') {
    $(container).append(top);
    return container;
  }
  const topScore = scorer.score(top);
  const threshold = Math.max(10, topScore * 0.2);
  for (const sibling of elementChildren(parent)) {
    let take = sibling === top;
    if (!take) {
      const bonus = sibling.attribs.class && sibling.attribs.class === top.attribs.class ? topScore * 0.2 : 0;
      if (scorer.scores.has(sibling) && scorer.score(sibling) + bonus >= threshold) take = true;
      else if (sibling.name === 'p' || (sibling.name === 'div' && !sibling.children.some((c) => c.type === 'tag' && BLOCK_TAGS.has(c.name)))) {
        const text = nodeText(sibling);
        const length = textLength(text);
        const density = linkDensity(sibling, $);
        if (length > 80 && density < 0.25) take = true;
        else if (length > 0 && length <= 80 && density === 0 && /[.!?。！？](\s|$)/.test(text)) take = true;
      }
    }
    if (take) $(container).append(sibling);
  }
  return container;
}

/** Readability's conditional cleaning: drops link-, image-, form- or list-heavy blocks. */
function cleanConditionally(scorer: Scorer, $: CheerioAPI, container: Element): void {
  const blocks = $(container).find('table, ul, ol, div, section, form, fieldset, aside').toArray().reverse();
  for (const el of blocks) {
    if (!contains(container, el)) continue;
    if ($(el).closest('pre, code').length > 0) continue;
    if (el.name === 'table' && $(el).find('th, caption, thead').length > 0) continue;
    const weight = scorer.classWeight(el);
    if (weight + scorer.score(el) < 0 && !scorer.scores.has(el)) {
      $(el).remove();
      continue;
    }
    const text = nodeText(el);
    if (commaCount(text) >= 10) continue;
    // An embedded post (tweet, Instagram caption) is a quotation: link-rich, yet the author's content.
    const quoted = $(el).children('blockquote').toArray().reduce((n, q) => n + textLength(nodeText(q)), 0);
    if (quoted > 0 && quoted >= 0.8 * textLength(text)) continue;
    const $el = $(el);
    const p = $el.find('p').length;
    const img = $el.find('img').length;
    const li = $el.find('li').length - 100;
    const input = $el.find('input').length;
    const embeds = $el.find('object, embed, iframe, video').length;
    const length = textLength(text);
    const density = linkDensity(el, $);
    const listText = $el.find('ul, ol').toArray().reduce((n, l) => n + textLength(nodeText(l)), 0);
    const isList = el.name === 'ul' || el.name === 'ol' || (length > 0 && listText / length > 0.9);
    const inFigure = $el.closest('figure').length > 0;
    const remove =
      (img > 1 && p / img < 0.5 && !inFigure) ||
      (!isList && li > p) ||
      input > Math.floor(p / 3) ||
      (!isList && length < 25 && (img === 0 || img > 2) && density > 0) ||
      (!isList && weight < 25 && density > 0.2 && length < 1000) ||
      (weight >= 25 && density > 0.5) ||
      (embeds === 1 && length < 75) ||
      embeds > 1;
    if (remove) $el.remove();
  }
}

/** Microdata carriers sites hide with CSS: a bare date, URL or number is never prose. */
const MICRODATA_VALUE = /^(?:\d{4}-\d{2}-\d{2}(?:[T ][\d:.+\-Z]*)?|https?:\/\/\S+|\d+)$/;

/**
 * Drops leaf blocks whose text repeats text already kept (hidden microdata copies of the body,
 * duplicated teasers), and bare microdata values (`<span itemprop="datePublished">2019-…</span>`).
 */
function dropRepeats($: CheerioAPI, container: Element): void {
  let seen = '';
  for (const el of $(container).find('*').toArray()) {
    if (!contains(container, el)) continue;
    if (el.attribs.itemprop && MICRODATA_VALUE.test(nodeText(el).trim())) {
      $(el).remove();
      continue;
    }
    // Only long repeats of a whole itemprop block: a quote repeated as a pull quote is the author's choice.
    if (!el.attribs.itemprop && !el.attribs.itemscope) {
      if (!el.children.some((c) => c.type === 'tag' && BLOCK_TAGS.has(c.name))) seen += squash(nodeText(el));
      continue;
    }
    const text = squash(nodeText(el));
    if (text.length >= 200 && seen.includes(text)) $(el).remove();
  }
}

/**
 * Generic content scorer (after Mozilla Readability): scores prose units (`p`, `pre`, `td`,
 * headings, inline-only `div`s) by length and commas, credits their ancestors, penalizes link
 * density and furniture-like class/id names, favours `<article>`, `[itemprop=articleBody]` and the
 * element matching the JSON-LD `articleBody`, then takes the best candidate with its qualifying
 * siblings and (optionally) cleans link/image-heavy blocks out of it. Mutates `$` (moves nodes).
 * @param $ loaded cheerio document with boilerplate already removed
 * @param opts switches of this attempt
 * @returns a detached `<div>` holding the article content, or null when nothing scored
 */
export function scoreCandidates($: CheerioAPI, opts: ScoreOptions): Element | null {
  const body = ($('body')[0] ?? $.root().children('html')[0]) as Element | undefined;
  if (!body) return null;
  if (opts.stripUnlikely) stripUnlikely($, body);
  const scorer = new Scorer($, opts);
  scoreUnits(scorer, body, $);
  const top = pickTop(scorer, $, body, opts.hintText);
  let container: Element;
  if (!top) {
    container = $('<div></div>')[0] as Element;
    $(container).append($(body).contents());
  } else {
    container = gather(scorer, $, top);
  }
  if (opts.cleanConditionally) cleanConditionally(scorer, $, container);
  dropRepeats($, container);
  return container;
}
