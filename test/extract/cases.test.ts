import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as cheerio from 'cheerio';
import { absolutizeUrls } from '../../src/extract/absolutize.js';
import { extractArticle } from '../../src/extract/extract-article.js';
import { htmlToText } from '../../src/extract/html-to-text.js';
import type { ExtractRules } from '../../src/types.js';
import { caseFile } from '../helpers/paths.js';

const RULES: ExtractRules = { selector: null, remove: [], fetchPages: true };
const FILLER = '<p>' + 'This sentence is only here so the page has enough prose to count as an article, nothing more. '.repeat(4) + '</p>';

/** Reads a case's page and the URL it is served from (response.json). */
function casePage(dir: string): { html: string; url: string } {
  const response = JSON.parse(fs.readFileSync(caseFile(dir, 'response.json'), 'utf8')) as { url: string; body: string };
  return { html: fs.readFileSync(caseFile(dir, response.body), 'utf8'), url: response.url };
}

describe('extract: case 13 — relative URLs resolved against the page', () => {
  const xml = fs.readFileSync(caseFile('13-relative-urls-in-description', 'feed.xml'), 'utf8');
  const $feed = cheerio.load(xml, { xml: true });
  const link = $feed('item > link').text();
  const description = $feed('item > description').text();
  const expectations = (html: string): void => {
    const $ = cheerio.load(html, null, false);
    assert.equal($('img[alt="Siril 0.99.7"]').attr('src'), 'https://arts.example.org/2021/01/foss-in-2021-preview/siril-0-99-7.webp');
    assert.equal($('img[alt=logo]').attr('src'), 'https://arts.example.org/images/logo.png');
    assert.equal($('a:contains("last year")').attr('href'), 'https://arts.example.org/2020/12/review/');
    assert.equal($('img[alt=banner]').attr('src'), 'https://cdn.example.net/shared/banner.jpg');
    assert.equal(
      $('img[alt=shot]').attr('srcset'),
      'https://arts.example.org/2021/01/foss-in-2021-preview/shot-1x.png 1x, https://arts.example.org/2021/01/foss-in-2021-preview/shot-2x.png 2x',
    );
    assert.equal($('a:contains("comments")').attr('href'), 'https://arts.example.org/2021/01/foss-in-2021-preview/#comments');
    assert.equal($('a:contains("mail")').attr('href'), 'mailto:editor@example.org');
  };

  it('absolutizeUrls rewrites src, href, srcset candidates and fragments; mailto unchanged', () => {
    assert.equal(link, 'https://arts.example.org/2021/01/foss-in-2021-preview/');
    const $ = cheerio.load(description, null, false);
    absolutizeUrls($, link);
    expectations($.html());
  });

  it('extractArticle applies the same rewrite to the extracted body', () => {
    const page = `<html><body><article>${FILLER}${description}</article></body></html>`;
    const ex = extractArticle(page, { url: link, rules: RULES });
    assert.equal(ex.status, 'ok');
    expectations(ex.contentHtml ?? '');
  });

  it('variant: <base href> wins over the page URL; poster and absolute non-ASCII URLs', () => {
    const page =
      '<html><head><base href="https://static.example.com/a/b/"></head><body><article>' + FILLER +
      '<p><img src="pic.png" alt="p"> <a href="../up/">up</a> <a href="https://example.com/ё?x=1&amp;y=2">abs</a></p>' +
      '<video poster="thumb.jpg"></video></article></body></html>';
    const $ = cheerio.load(page);
    absolutizeUrls($, 'https://news.example.com/story/1');
    assert.equal($('img').attr('src'), 'https://static.example.com/a/b/pic.png');
    assert.equal($('a').first().attr('href'), 'https://static.example.com/a/up/');
    assert.equal($('a').eq(1).attr('href'), 'https://example.com/ё?x=1&y=2');
    assert.equal($('video').attr('poster'), 'https://static.example.com/a/b/thumb.jpg');
    const ex = extractArticle(page, { url: 'https://news.example.com/story/1', rules: RULES });
    assert.ok(ex.contentHtml?.includes('<img src="https://static.example.com/a/b/pic.png" alt="p">'), ex.contentHtml ?? '');
  });
});

describe('extract: case 26 — lazy images promoted', () => {
  const { html, url } = casePage('26-lazy-images-data-src');

  it('stores real image URLs, absolute, and no placeholder', () => {
    const ex = extractArticle(html, { url, rules: RULES });
    assert.equal(ex.status, 'ok');
    const body = ex.contentHtml ?? '';
    assert.ok(body.includes('<img src="https://media.example.fr/sites/news/files/styles/asset_img_full/public/2015/06/lunettes-soleil.jpg" alt="Des lunettes de soleil futuristes"'), body);
    assert.ok(body.includes('<img src="https://news.example.fr/sites/news/files/2015/06/schema-filtres.png" alt="Schéma des filtres">'), body);
    assert.ok(body.includes('<source srcset="https://media.example.fr/2015/06/graph-800.webp 800w, https://media.example.fr/2015/06/graph-1600.webp 1600w" type="image/webp">'), body);
    assert.ok(body.includes('<img src="https://media.example.fr/2015/06/graph-800.jpg" alt="Graphique">'), body);
    assert.ok(!body.includes('data:image/gif'));
    assert.ok(!body.includes('placeholder.png'));
    assert.ok(!body.includes('data-src'));
  });

  it('variant: <noscript> image replaces a placeholder; data-lazy-src and data-lazy-srcset', () => {
    const page =
      '<html><body><article>' + FILLER +
      '<img src="/img/blank.gif" class="lazy" alt="a"><noscript><img src="/real/a.jpg" alt="a"></noscript>' +
      '<img data-lazy-src="/real/b.jpg" data-lazy-srcset="/real/b.jpg 1x, /real/b@2x.jpg 2x" alt="b">' +
      '</article></body></html>';
    const ex = extractArticle(page, { url: 'https://site.example/post/1', rules: RULES });
    const body = ex.contentHtml ?? '';
    assert.ok(body.includes('<img src="https://site.example/real/a.jpg" alt="a">'), body);
    assert.ok(body.includes('<img src="https://site.example/real/b.jpg" srcset="https://site.example/real/b.jpg 1x, https://site.example/real/b@2x.jpg 2x" alt="b">'), body);
    assert.ok(!body.includes('blank.gif'));
    assert.equal((body.match(/<img/g) ?? []).length, 2);
  });
});

describe('extract: case 27 — visitor comments are not the article', () => {
  const { html, url } = casePage('27-comments-outweigh-article');

  it('keeps the facts table and description, drops the opinions', () => {
    const ex = extractArticle(html, { url, rules: RULES });
    assert.equal(ex.status, 'ok');
    assert.equal(ex.method, 'generic');
    for (const s of ['Razón social', 'Intermediación monetaria y servicios financieros', 'El Banco de Ejemplo es una de las entidades financieras más antiguas del país.']) {
      assert.ok(ex.contentHtml?.includes(s), s);
      assert.ok(ex.text?.includes(s), s);
    }
    for (const s of ['Visitante', 'Opiniones de los visitantes', 'Atendieron mi reclamo']) {
      assert.ok(!ex.contentHtml?.includes(s), s);
      assert.ok(!ex.text?.includes(s), s);
    }
  });

  it('variant: French "avis", German "kommentare" and role=complementary sections are dropped', () => {
    const long = (who: string): string => `<p>${who} a écrit un très long commentaire, avec beaucoup de virgules, de détails, de redites, et encore des détails, pour peser plus lourd que l’article lui-même.</p>`.repeat(3);
    const page =
      '<html><body><div id="page"><div class="fiche"><h1>Produit</h1><p>' + 'Description du produit, fabriquée avec soin, vendue en boutique depuis 1990. '.repeat(4) + '</p></div>' +
      `<section id="avis-clients">${long('Client A')}</section><div class="Kommentare">${long('Leser B')}</div>` +
      `<div role="complementary">${long('Voisin C')}</div></div></body></html>`;
    const ex = extractArticle(page, { url: 'https://shop.example.fr/p/1', rules: RULES });
    assert.equal(ex.status, 'ok');
    assert.ok(ex.text?.includes('Description du produit'));
    for (const s of ['Client A', 'Leser B', 'Voisin C']) assert.ok(!ex.text?.includes(s), s);
  });
});

describe('extract: case 29 — non-ASCII kept as characters', () => {
  const { html, url } = casePage('29-non-ascii-serialized-as-entities');

  it('stores UTF-8 characters and escapes only markup characters', () => {
    const ex = extractArticle(html, { url, rules: RULES, minTextChars: 100 });
    assert.equal(ex.status, 'ok');
    const body = ex.contentHtml ?? '';
    assert.ok(body.includes('<p>Привет, мир! Это абзац на русском языке со словом «ёлка».</p>'), body);
    assert.ok(body.includes('<p lang="zh">你好，世界。这是一个中文段落。</p>'), body);
    assert.ok(body.includes('<code>MemoryLayout&lt;UInt&gt;.size &amp;&amp; a &lt; b</code>'), body);
    assert.ok(body.includes('title="Поиск «ёлка»"'), body);
    assert.ok(body.includes('href="https://example.com/search?q=ёлка&amp;lang=ru"'), body);
    assert.ok(!/&#x/i.test(body), body);
    assert.ok(!/&#\d/.test(body), body);
  });

  it('variant: Japanese, Greek and an escaped <script> sample stay text, relative non-ASCII link keeps its letters', () => {
    const page =
      '<html><body><article><p>日本語の段落です。ひらがなとカタカナ。</p><p>Ελληνικά κείμενα εδώ, αρκετά για ένα άρθρο.</p>' +
      '<pre>&lt;script&gt;alert(1)&lt;/script&gt;</pre><p><a href="/wiki/Ёж">Ёж</a></p></article></body></html>';
    const ex = extractArticle(page, { url: 'https://ru.example.org/a/', rules: RULES, minTextChars: 40 });
    const body = ex.contentHtml ?? '';
    assert.ok(body.includes('<p>日本語の段落です。ひらがなとカタカナ。</p>'), body);
    assert.ok(body.includes('<p>Ελληνικά κείμενα εδώ, αρκετά για ένα άρθρο.</p>'), body);
    assert.ok(body.includes('<pre>&lt;script&gt;alert(1)&lt;/script&gt;</pre>'), body);
    assert.ok(body.includes('<a href="https://ru.example.org/wiki/Ёж">Ёж</a>'), body);
    assert.ok(!/&#x/i.test(body));
  });
});

describe('extract: case 30 — text excludes script, style, JSON-LD and template', () => {
  const { html, url } = casePage('30-text-includes-script');
  const expected = 'Ciao dal blog Primo paragrafo del post, quello che deve finire nel riassunto. Secondo paragrafo con grassetto.';

  it('snippet of the extracted body is exactly the visible text', () => {
    const ex = extractArticle(html, { url, rules: RULES, minTextChars: 50 });
    assert.equal(ex.status, 'ok');
    assert.equal(htmlToText(ex.contentHtml ?? '', { oneLine: true }), expected);
    assert.equal(ex.text, expected.replace('blog Primo', 'blog\nPrimo').replace('riassunto. Secondo', 'riassunto.\nSecondo'));
    assert.ok(!/<script|<style|<template/i.test(ex.contentHtml ?? ''));
  });

  it('htmlToText on the raw page leaves out head, script, style, JSON-LD and template', () => {
    assert.equal(htmlToText(html, { oneLine: true }), expected);
  });

  it('variant: noscript, inline style element, <br> and block boundaries', () => {
    const text = htmlToText(
      '<div>Uno<br>due<style>p{}</style><script type="application/ld+json">{"a":1}</script></div><noscript>no</noscript>' +
        '<ul><li>tre <em>quattro</em></li><li>cinque</li></ul><p>  sei\n\n   sette  </p>',
    );
    assert.equal(text, 'Uno\ndue\ntre quattro\ncinque\nsei sette');
  });
});

describe('extract: a hostile <base href> does not rebase relative links', () => {
  it('javascript: and data: bases are ignored; the page URL stays the base', async () => {
    const { absolutizeUrls } = await import('../../src/extract/absolutize.js');
    const cheerio = await import('cheerio');
    for (const evil of ['javascript:alert(1)//', 'data:text/html,x', 'file:///etc/']) {
      const $ = cheerio.load(`<base href="${evil}"><a href="/a/b.html">x</a><img src="i.png">`);
      absolutizeUrls($, 'https://news.example.com/2024/post.html');
      assert.equal($('a').attr('href'), 'https://news.example.com/a/b.html', evil);
      assert.equal($('img').attr('src'), 'https://news.example.com/2024/i.png', evil);
    }
    const $ok = cheerio.load('<base href="https://cdn.example.net/assets/"><img src="i.png">');
    absolutizeUrls($ok, 'https://news.example.com/2024/post.html');
    assert.equal($ok('img').attr('src'), 'https://cdn.example.net/assets/i.png');
  });
});
