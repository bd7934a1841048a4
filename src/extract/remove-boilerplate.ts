import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { isAttached, nodeText } from './node-text.js';
import { textLength } from './text-stats.js';

/** Elements that never hold article prose. `noscript` goes after its images were promoted. */
const DROP_TAGS = 'script, style, noscript, template, iframe, object, embed, applet, nav, aside, button, input, select, textarea, option, svg, canvas, link, meta, dialog, menu';

/**
 * Comment/discussion containers named in several languages (case 27: `opiniones`,
 * `opinion-item`), matched as whole words of class/id so `avis` does not hit `navisite`.
 */
const COMMENT_WORDS = /(?:^|[^a-z])(?:comments?|commentlist|comment-?(?:list|area|section|form|respond|thread|s?wrap)|comentarios?|commentaires?|opiniones|opinion-?(?:item|list|box)|avis|kommentare?|reacties|reactions?|replies|disqus|respond|discussion|talkback|commento|koment[aá]?[rř]e?|hozzaszolasok|yorumlar)(?:[^a-z]|$)/;
/** Share bars, related-links lists, newsletter and cookie banners (whole words of class/id). */
const WIDGET_WORDS = /(?:^|[^a-z])(?:share|shares|sharing|sharebar|share-?(?:buttons?|tools|links|bar)|social-?(?:share|links|buttons|icons|media)|sharedaddy|addthis|shareaholic|related|related-?(?:posts|articles|stories|links|content)|recommended|recommendations|more-?stories|outbrain|taboola|newsletter|subscribe|cookies?|cookie-?(?:banner|notice|consent)|consent|gdpr|breadcrumbs?|paywall|promo)(?:[^a-z]|$)/;
/** Class/id names of the article body itself, which a furniture word elsewhere in the name must not outweigh. */
const CONTENT_WORDS = /(?:^|[^a-z])(?:entry|article|post|story|blog|main)-?(?:content|body|text)(?:[^a-z]|$)|(?:^|[^a-z])articlebody(?:[^a-z]|$)/;
/** ARIA roles of page furniture (`complementary` = sidebars and comment asides). */
const DROP_ROLES = new Set(['navigation', 'complementary', 'banner', 'contentinfo', 'menu', 'menubar', 'dialog', 'alertdialog', 'search']);
/** Selector of elements that mark the article itself: never removed nor any of their ancestors. */
export const ARTICLE_MARKERS = 'article, main, [role=main], [itemprop=articleBody]';

/** Lower-cased `class` + `id`, camelCase split with dashes (`relatedPosts` → `related-posts`). */
export function classAndId(el: Element): string {
  const raw = `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`;
  return raw.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
}

/** True when the element is or contains an article marker (or is the page itself). */
function holdsArticle($: CheerioAPI, el: Element): boolean {
  if (['html', 'body', 'article', 'main'].includes(el.name)) return true;
  if (el.attribs.role === 'main' || el.attribs.itemprop === 'articleBody') return true;
  return $(el).find(ARTICLE_MARKERS).length > 0;
}

function insideArticle(el: Element): boolean {
  for (let p = el.parent; p; p = p.parent) {
    if (p.type === 'tag' && (p.name === 'article' || p.attribs.itemprop === 'articleBody')) return true;
  }
  return false;
}

function isHidden(el: Element): boolean {
  if (el.attribs.hidden !== undefined) return true;
  if (el.attribs['aria-hidden'] === 'true' && !/fallback-image/.test(el.attribs.class ?? '')) return true;
  const style = (el.attribs.style ?? '').toLowerCase().replace(/\s+/g, '');
  return style.includes('display:none') || style.includes('visibility:hidden');
}

/**
 * Removes what is never article body, before any scoring: the source's `rules.remove` selectors
 * (invalid selectors are skipped), scripts/styles/noscript/templates/iframes, nav, aside, forms
 * and form controls, hidden elements (`[hidden]`, `aria-hidden="true"`, inline `display:none`),
 * header/footer outside the article, page-furniture ARIA roles, comment sections named in several
 * languages (case 27), share bars, related links, newsletter/cookie/consent banners. An element
 * that is or contains `article`/`main`/`[itemprop=articleBody]` is kept (a whole-page `<form>`
 * or a mis-classed wrapper must not take the article with it). Mutates `$` in place.
 * @param $ loaded cheerio document
 * @param removeSelectors extra CSS selectors from the source's extract rules
 * @returns the number of elements removed; never throws
 */
export function removeBoilerplate($: CheerioAPI, removeSelectors: readonly string[]): number {
  let removed = 0;
  const drop = (el: AnyNode): void => {
    $(el).remove();
    removed++;
  };
  for (const selector of removeSelectors) {
    try {
      $(selector).each((_, el) => drop(el));
    } catch {
      // A bad site rule must not fail extraction; the generic path still runs.
    }
  }
  $('*')
    .contents()
    .each((_, node) => {
      if (node.type === 'comment') drop(node);
    });
  $(DROP_TAGS).each((_, el) => {
    if (!holdsArticle($, el)) drop(el);
  });
  $('form').each((_, el) => {
    if (!holdsArticle($, el) && nodeText(el).length < 2000) drop(el);
  });
  $('header, footer').each((_, el) => {
    if (!insideArticle(el) && !holdsArticle($, el)) drop(el);
  });
  const bodyChars = textLength(nodeText($('body')[0] ?? $.root()[0]!));
  $('body *').each((_, el) => {
    if (!isAttached(el)) return; // inside an already removed subtree
    // A hidden block is dropped even when it holds article markup (hidden schema.org copies of
    // the body), unless it holds most of the page: sites that reveal the whole page by script.
    if (isHidden(el) && textLength(nodeText(el)) < bodyChars / 2) {
      drop(el);
      return;
    }
    const role = el.attribs.role ?? '';
    const names = classAndId(el);
    const content = CONTENT_WORDS.test(names);
    const furniture = isHidden(el) || DROP_ROLES.has(role) || (!content && COMMENT_WORDS.test(names));
    // A "social-media-embed" wrapper around a quoted post (a blockquote) is content, not a share bar.
    const widget =
      !furniture && !content && WIDGET_WORDS.test(names) && !['p', 'h1', 'h2', 'h3', 'pre', 'blockquote'].includes(el.name) && $(el).children('blockquote').length === 0;
    if ((furniture || widget) && !holdsArticle($, el)) drop(el);
  });
  return removed;
}
