import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import iconv from 'iconv-lite';
import { encodingForLabel, isSingleByteEncoding } from '../../src/fetch/charset-labels.js';
import { parseContentType } from '../../src/fetch/content-type.js';
import { decodeBody } from '../../src/fetch/decode.js';
import { utf8Stats } from '../../src/fetch/utf8-stats.js';
import { caseFile, corpus } from '../helpers/paths.js';

const FFFD = /\uFFFD/;

interface CaseResponse {
  headers: Record<string, string>;
}
function caseContentType(name: string): string | null {
  const r = JSON.parse(readFileSync(caseFile(name, 'response.json'), 'utf8')) as CaseResponse;
  return r.headers['Content-Type'] ?? null;
}

describe('decodeBody: case 01 (GBK declared only in the XML declaration)', () => {
  const bytes = readFileSync(caseFile('01-gbk-encoded-feed', 'feed.xml'));

  it('served as response.json says (text/xml, no charset): gb18030 and the exact strings', () => {
    const ct = caseContentType('01-gbk-encoded-feed');
    assert.equal(ct, 'text/xml');
    const r = decodeBody(bytes, ct, 'feed');
    assert.equal(r.encoding, 'gb18030');
    assert.equal(r.source, 'xml-declaration');
    assert.ok(r.text.includes('<title>示例论坛 十大热门话题</title>'));
    assert.ok(r.text.includes('今天天气真好，适合出去走走'));
    assert.ok(r.text.includes('内容摘要：周末去公园散步。'));
    assert.doesNotMatch(r.text, FFFD);
  });

  it('the same with charset=gbk in the header', () => {
    const r = decodeBody(bytes, 'text/xml; charset=gbk', 'feed');
    assert.equal(r.encoding, 'gb18030');
    assert.equal(r.source, 'http-charset');
    assert.ok(r.text.includes('示例论坛 十大热门话题'));
  });

  it('variant: a gb2312 label decodes GBK-only and 4-byte GB18030 characters', () => {
    // 镕 and 喆 are outside GB2312 (GBK extension); 𠀀 needs GB18030's four-byte form.
    const text = '<?xml version="1.0" encoding="gb2312"?><rss><channel><title>朱镕基 喆 𠀀</title></channel></rss>';
    const r = decodeBody(iconv.encode(text, 'gb18030'), null, 'feed');
    assert.equal(r.encoding, 'gb18030');
    assert.equal(r.text, text);
  });

  it('variant: Big5 declared in the header only', () => {
    const text = '<rss><channel><title>苦勞網 新聞</title></channel></rss>';
    const r = decodeBody(iconv.encode(text, 'big5'), 'application/rss+xml; charset="big5"', 'feed');
    assert.equal(r.encoding, 'big5');
    assert.equal(r.text, text);
  });
});

describe('decodeBody: case 02 (BOM before the declaration)', () => {
  const expectFeed = (text: string): void => {
    assert.ok(text.startsWith('<?xml'), JSON.stringify(text.slice(0, 10)));
    assert.ok(!text.includes('\uFEFF'));
    assert.ok(text.includes('<title>Filings Index</title>'));
    assert.ok(text.includes('<title>Quarterly report \u2013 Example Corp</title>'));
    assert.ok(text.includes('filing-0001'));
  };

  it('feed-bom.xml: UTF-8 by its BOM, BOM removed', () => {
    const r = decodeBody(readFileSync(caseFile('02-utf8-bom-before-declaration', 'feed-bom.xml')), null, 'feed');
    assert.equal(r.encoding, 'utf-8');
    assert.equal(r.source, 'bom');
    expectFeed(r.text);
    assert.deepEqual(r.warnings, []);
  });

  it('feed-newline-then-bom.xml: UTF-8, leading newline and stray BOM removed, with a warning', () => {
    const r = decodeBody(readFileSync(caseFile('02-utf8-bom-before-declaration', 'feed-newline-then-bom.xml')), null, 'feed');
    assert.equal(r.encoding, 'utf-8');
    expectFeed(r.text);
    assert.deepEqual(r.warnings, ['byte order mark after leading whitespace removed']);
  });

  it('feed-utf16le-bom.xml: UTF-16LE by its BOM', () => {
    const r = decodeBody(readFileSync(caseFile('02-utf8-bom-before-declaration', 'feed-utf16le-bom.xml')), null, 'feed');
    assert.equal(r.encoding, 'utf-16le');
    expectFeed(r.text);
  });

  it('variant: a BOM outranks a contradicting HTTP charset; UTF-16BE BOM', () => {
    const xml = '<?xml version="1.0"?><rss><channel><title>Café – ok</title></channel></rss>';
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml, 'utf8')]);
    const a = decodeBody(utf8, 'text/xml; charset=iso-8859-1', 'feed');
    assert.equal(a.encoding, 'utf-8');
    assert.equal(a.text, xml);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(xml, 'utf16le').swap16()]);
    const b = decodeBody(be, null, 'feed');
    assert.equal(b.encoding, 'utf-16be');
    assert.equal(b.text, xml);
  });

  it('variant: whitespace + BOM + a page also strips the stray BOM', () => {
    const html = '<!doctype html><title>x</title>';
    const r = decodeBody(Buffer.concat([Buffer.from('\r\n \uFEFF', 'utf8'), Buffer.from(html)]), 'text/html', 'page');
    assert.equal(r.text, html);
  });
});

describe('decodeBody: case 03 (no Content-Type, UTF-8 declared)', () => {
  const bytes = readFileSync(caseFile('03-no-http-charset-utf8-declared', 'feed.xml'));

  it('served with no Content-Type: UTF-8, exact strings, no mojibake', () => {
    assert.equal(caseContentType('03-no-http-charset-utf8-declared'), null);
    const r = decodeBody(bytes, null, 'feed');
    assert.equal(r.encoding, 'utf-8');
    assert.ok(r.text.includes('The hidden cost of someone\u2019s ad budget'));
    assert.ok(r.text.includes('It\u2019s') && r.text.includes('\u201cfree\u201d') && r.text.includes('caf\u00e9 owners know'));
    assert.ok(!r.text.includes('â€'));
  });

  it('variant: no declaration, no header, UTF-8 after a long ASCII prefix is still UTF-8', () => {
    const text = `<rss><channel><title>${'a'.repeat(5000)} naïve – ok</title></channel></rss>`;
    const r = decodeBody(Buffer.from(text, 'utf8'), null, 'feed');
    assert.equal(r.encoding, 'utf-8');
    assert.equal(r.text, text);
  });
});

describe('decodeBody: every feed in corpus feeds/non-utf8/', () => {
  const dir = corpus('feeds', 'non-utf8');
  const expected: Record<string, { encoding: string; contains: string }> = {
    'de-finanzen-net.declared-iso-8859-1-but-utf8.rss2.xml': { encoding: 'utf-8', contains: 'für' },
    'de-intranet30.iso-8859-1.rss2.xml': { encoding: 'windows-1252', contains: 'SVART MÅNAD - DÖDSOLYCKA i Vetlanda' },
    'de-stadtfeuerwehr.iso-8859-1.rss091.xml': { encoding: 'windows-1252', contains: 'Stadtfeuerwehr Weiz - Einsätze' },
    'el-naftemporiki.iso-8859-7.rss2.xml': { encoding: 'iso-8859-7', contains: 'Η ΝΑΥΤΕΜΠΟΡΙΚΗ : ΕΠΙΧΕΙΡΗΣΕΙΣ' },
    'fr-cerclepsy.iso-8859-1-undeclared.rss2.xml': { encoding: 'windows-1252', contains: 'La criminalité liée surtout à' },
    'fr-universfreebox.iso-8859-1.rss2.xml': { encoding: 'windows-1252', contains: "Toute l'actualité de Free" },
    'he-pcplus.windows-1255.rss091.xml': { encoding: 'windows-1255', contains: 'רפאל פוגל: סיכום מערכת' },
    'ja-yasuhisa.shift_jis.rss10-rdf.xml': { encoding: 'shift_jis', contains: 'RSSをシンプルに' },
    'ko-ittrend-egloos.euc-kr.rss2.xml': { encoding: 'euc-kr', contains: '구글 스토리 그리고 Regulating Search' },
    'pt-jn-ultimas-2018.iso-8859-1.rss2.xml': { encoding: 'windows-1252', contains: 'Jornal de Notícias - Últimas Notícias' },
    'rss10-iso-8859-1.xml': { encoding: 'windows-1252', contains: 'Glasfaserförderung' },
    'rss2-iso-8859-15.xml': { encoding: 'iso-8859-15', contains: '<description>éàùç€@ïî</description>' },
    'ru-ibash.windows-1251.rss2.xml': { encoding: 'windows-1251', contains: 'Цитата #17703' },
    'ru-newsru.windows-1251.rss2.xml': { encoding: 'windows-1251', contains: 'В Турции психически нездоровый мужчина' },
    'ru-oren.windows-1251.rss2.xml': { encoding: 'windows-1251', contains: '<title>Новости Оренбурга и области / Раздел Новости</title>' },
    'ru-xakep.windows-1251.rss2.xml': { encoding: 'windows-1251', contains: 'Руководители разведки США' },
    'zh-acnnewswire.gb2312-declared.rss2.xml': { encoding: 'gb18030', contains: '亚洲开发银行新闻稿亚行贷款力推中国河南省海河流域环境污染治理' },
    'zh-cnblog.gb2312.rss092.xml': { encoding: 'gb18030', contains: '出版商oreilly推出了开放图书项目' },
    'zh-kc0011.gb2312.rss2.xml': { encoding: 'gb18030', contains: '<title>投资资讯网交易在线--流通纪念币最新20篇论坛主题-全文</title>' },
    'zh-softsea.gb2312.rss2.xml': { encoding: 'gb18030', contains: '<title>系统工具</title>' },
    'zh-tw-coolloud.big5.rss10-rdf.xml': { encoding: 'big5', contains: '<title>苦勞網</title>' },
  };

  it('the expectation table covers every file in the folder', () => {
    assert.deepEqual(readdirSync(dir).sort(), Object.keys(expected).sort());
  });

  for (const [file, exp] of Object.entries(expected)) {
    it(`${file} → ${exp.encoding}, no U+FFFD`, () => {
      const r = decodeBody(readFileSync(`${dir}/${file}`), null, 'feed');
      assert.equal(r.encoding, exp.encoding);
      assert.doesNotMatch(r.text, FFFD);
      assert.ok(r.text.includes(exp.contains), `contains ${exp.contains}`);
    });
  }

  it('finanzen.net: the declared iso-8859-1 is overridden and a warning says so', () => {
    const r = decodeBody(readFileSync(`${dir}/de-finanzen-net.declared-iso-8859-1-but-utf8.rss2.xml`), null, 'feed');
    assert.equal(r.source, 'utf8-detected');
    assert.ok(!r.text.includes('Ã¼'));
    assert.equal(r.warnings.length, 1);
  });

  it('variant: a windows-1251 HTTP charset over UTF-8 Cyrillic bytes is overridden too; real windows-1251 is not', () => {
    const text = '<rss><channel><title>Новости</title></channel></rss>';
    assert.equal(decodeBody(Buffer.from(text, 'utf8'), 'text/xml; charset=windows-1251', 'feed').text, text);
    const legacy = decodeBody(iconv.encode(text, 'windows-1251'), 'text/xml; charset=windows-1251', 'feed');
    assert.equal(legacy.encoding, 'windows-1251');
    assert.equal(legacy.text, text);
  });

  it('variant: a declared multi-byte legacy charset is never overridden (GBK bytes are not UTF-8 anyway)', () => {
    const text = '<?xml version="1.0" encoding="gbk"?><t>中文</t>';
    assert.equal(decodeBody(iconv.encode(text, 'gbk'), null, 'feed').encoding, 'gb18030');
  });
});

describe('decodeBody: kurtmckee-feedparser tests/encoding (Header: comment as the HTTP header)', () => {
  const dir = corpus('parser-suites', 'kurtmckee-feedparser', 'tests', 'encoding');
  const files = readdirSync(dir).filter((f) => f.endsWith('.xml'));
  let checkedEncodings = 0;

  it('has the suite (precondition)', () => {
    assert.ok(files.length >= 80, String(files.length));
  });

  for (const file of files) {
    const bytes = readFileSync(`${dir}/${file}`);
    const ascii = bytes.toString('latin1').replace(/\0/g, '');
    const header = /Header:\s*Content-type:\s*(.*)/i.exec(ascii)?.[1]?.trim() ?? null;
    const expect = /Expect:\s*(.*)/.exec(ascii)?.[1] ?? '';
    const wanted = /encoding == '([^']+)'/.exec(expect)?.[1] ?? null;
    const bozo = /^bozo|^1$/.test(expect.trim());
    it(`${file}`, () => {
      const r = decodeBody(bytes, header, 'feed');
      if (wanted !== null) {
        const { mediaType, charset } = parseContentType(header);
        const charsetKnown = charset !== null && encodingForLabel(charset) !== null;
        // feedparser follows RFC 3023 (text/* without charset = us-ascii); RFC 7303 superseded
        // that, and case 01 depends on the XML declaration winning, so those cases expect the
        // declaration (or UTF-8) instead.
        const rfc3023 = mediaType?.startsWith('text/') === true && !charsetKnown;
        const declared = /<\?xml[^>]*encoding="([^"]+)"/.exec(ascii)?.[1];
        const exp = rfc3023 ? (declared ? encodingForLabel(declared) : 'utf-8') : encodingForLabel(wanted);
        assert.equal(r.encoding, exp);
        checkedEncodings++;
      }
      if (!bozo) assert.doesNotMatch(r.text, FFFD);
      assert.ok(!r.text.startsWith('\uFEFF'));
      assert.ok(/^\s*</.test(r.text), JSON.stringify(r.text.slice(0, 20)));
    });
  }

  it('content checks: EUC-KR, windows-1252 punctuation, UTF-16/32 text', () => {
    const read = (f: string, h: string | null = null) => decodeBody(readFileSync(`${dir}/${f}`), h, 'feed').text;
    assert.ok(read('euc-kr.xml').includes('<title>\ub144</title>'));
    assert.ok(read('http_text_xml_charset_2.xml', 'text/xml; charset=windows-1252').includes('This is a \u00a3\u201ctest.\u201d'));
    assert.ok(read('http_text_xml_charset_overrides_encoding_2.xml', 'text/xml; charset=windows-1252').includes('This is a \u00a3\u201ctest.\u201d'));
    for (const f of ['utf-16le.xml', 'utf-16be-bom.xml', 'utf-32le-autodetect.xml', 'utf-32be-bom.xml', 'u16.xml']) {
      assert.ok(read(f).startsWith('<?xml version="1.0"'), f);
    }
  });

  it('checked the expected encoding of at least 60 cases', () => {
    assert.ok(checkedEncodings >= 60, String(checkedEncodings));
  });
});

describe('decodeBody: miniflux reader/encoding testdata', () => {
  const dir = corpus('parser-suites', 'miniflux-v2', 'internal', 'reader', 'encoding', 'testdata');
  const cases: Array<[string, 'feed' | 'page', string, string]> = [
    ['utf8.xml', 'feed', 'utf-8', '테스트 피드'],
    ['utf8-incorrect-prolog.xml', 'feed', 'utf-8', '테스트 피드'],
    ['iso-8859-1.xml', 'feed', 'windows-1252', '<description>Présentation</description>'],
    ['windows-1252.xml', 'feed', 'windows-1252', 'Euro €'],
    ['windows-1252-incorrect-prolog.xml', 'feed', 'utf-8', 'Euro €'],
    ['koi8r.xml', 'feed', 'koi8-r', '<title>Пример RSS ленты</title>'],
    ['invalid-prolog.xml', 'feed', 'utf-8', '<title>Café</title>'],
    ['utf8.html', 'page', 'utf-8', '<title>Café</title>'],
    ['iso-8859-1.html', 'page', 'windows-1252', '<title>Frédéric</title>'],
    ['utf8-meta-after-1024.html', 'page', 'utf-8', '<title>Frédéric</title>'],
    ['iso-8859-1-meta-after-1024.html', 'page', 'windows-1252', '<p>Café</p>'],
  ];
  for (const [file, kind, encoding, contains] of cases) {
    it(`${file} (${kind}) → ${encoding}`, () => {
      const r = decodeBody(readFileSync(`${dir}/${file}`), kind === 'page' ? 'text/html' : null, kind);
      assert.equal(r.encoding, encoding);
      assert.ok(r.text.includes(contains), contains);
      assert.doesNotMatch(r.text, FFFD);
    });
  }
});

describe('decodeBody: HTML pages', () => {
  it('a real GB2312 article page (meta http-equiv) decodes as gb18030', () => {
    const r = decodeBody(readFileSync(corpus('extraction', 'misc-article-html', 'feeder-gb2312-qqyewu.html')), 'text/html', 'page');
    assert.equal(r.encoding, 'gb18030');
    assert.equal(r.source, 'html-meta');
    assert.ok(r.text.includes('<title>10元2瓶黄灯笼辣椒酱+臂式血压仪+男女老爹鞋+冲锋衣+补水喷雾+护发素 - QQ业务乐园</title>'));
    assert.doesNotMatch(r.text, FFFD);
  });

  it('variants: http-equiv with Shift_JIS, a meta inside a comment is ignored, meta utf-16 means utf-8', () => {
    const sjis = '<html><head><meta http-equiv="content-type" content="text/html;charset=Shift_JIS"><title>日本語</title>';
    assert.equal(decodeBody(iconv.encode(sjis, 'shift_jis'), 'text/html', 'page').text, sjis);
    const commented = '<!-- <meta charset="big5"> --><meta charset=\'windows-1251\'><title>Привет</title>';
    const r = decodeBody(iconv.encode(commented, 'windows-1251'), null, 'page');
    assert.equal(r.encoding, 'windows-1251');
    assert.equal(r.text, commented);
    assert.equal(decodeBody(Buffer.from('<meta charset="utf-16"><p>é</p>'), null, 'page').encoding, 'utf-8');
  });

  it('the HTTP charset outranks the meta; the meta is not read for feeds', () => {
    const html = '<meta charset="windows-1252"><p>Ωmega</p>';
    assert.equal(decodeBody(iconv.encode(html, 'iso-8859-7'), 'text/html; charset=iso-8859-7', 'page').text, html);
    assert.equal(decodeBody(Buffer.from('<meta charset="koi8-r"><x/>'), null, 'feed').encoding, 'utf-8');
  });

  it('windows-1252 follows WHATWG for its five undefined bytes (C1 controls, not U+FFFD)', () => {
    const r = decodeBody(Buffer.from([0x3c, 0x70, 0x3e, 0x81, 0x80, 0x9d, 0xe9]), 'text/html; charset=windows-1252', 'page');
    assert.equal(r.text, '<p>\u0081\u20ac\u009d\u00e9');
  });
});

describe('charset labels (WHATWG Encoding §4.2)', () => {
  for (const [label, name] of [
    ['gb2312', 'gb18030'],
    ['GBK', 'gb18030'],
    ['x-gbk', 'gb18030'],
    ['x-sjis', 'shift_jis'],
    ['ms932', 'shift_jis'],
    ['latin1', 'windows-1252'],
    ['ISO-8859-1', 'windows-1252'],
    ['us-ascii', 'windows-1252'],
    ['iso-8859-9', 'windows-1254'],
    ['tis-620', 'windows-874'],
    ['ks_c_5601-1987', 'euc-kr'],
    [' "UTF8" ', 'utf-8'],
    ["'utf-16'", 'utf-16le'],
    ['big5-hkscs', 'big5'],
    ['koi8_r', 'koi8-r'],
  ] as const) {
    it(`${label} → ${name}`, () => assert.equal(encodingForLabel(label), name));
  }
  it('unknown and replacement labels → null', () => {
    for (const label of ['bogus', 'invalid', '', 'iso-2022-kr', 'utf-7']) assert.equal(encodingForLabel(label), null);
  });
  it('single-byte classification', () => {
    assert.equal(isSingleByteEncoding('windows-1252'), true);
    assert.equal(isSingleByteEncoding('koi8-u'), true);
    assert.equal(isSingleByteEncoding('gb18030'), false);
    assert.equal(isSingleByteEncoding('utf-8'), false);
  });
});

describe('parseContentType', () => {
  it('reads media type and charset leniently', () => {
    assert.deepEqual(parseContentType('Application/RSS+XML; Charset="UTF-8"'), { mediaType: 'application/rss+xml', charset: 'UTF-8' });
    assert.deepEqual(parseContentType("text/xml;charset= 'us-ascii'"), { mediaType: 'text/xml', charset: 'us-ascii' });
    assert.deepEqual(parseContentType('text/xml;charset = us-ascii'), { mediaType: 'text/xml', charset: 'us-ascii' });
    assert.deepEqual(parseContentType('text/xml; charset:iso-8859-1'), { mediaType: 'text/xml', charset: null });
    assert.deepEqual(parseContentType('text/xml;'), { mediaType: 'text/xml', charset: null });
    assert.deepEqual(parseContentType(null), { mediaType: null, charset: null });
    assert.deepEqual(parseContentType('garbage'), { mediaType: null, charset: null });
  });
});

describe('utf8Stats', () => {
  it('counts multi-byte sequences and invalid bytes (overlong, surrogate, truncated)', () => {
    assert.deepEqual(utf8Stats(Buffer.from('aé中𠀀', 'utf8')), { multibyte: 3, invalid: 0 });
    assert.deepEqual(utf8Stats(Buffer.from([0xc0, 0xaf])), { multibyte: 0, invalid: 2 });
    assert.deepEqual(utf8Stats(Buffer.from([0xed, 0xa0, 0x80])), { multibyte: 0, invalid: 3 });
    assert.deepEqual(utf8Stats(Buffer.from([0x41, 0xe4, 0xb8])), { multibyte: 0, invalid: 2 });
    assert.deepEqual(utf8Stats(Buffer.from('café', 'latin1')), { multibyte: 0, invalid: 1 });
  });
});

describe('fetch/decode: Content-Type utf-8 that the bytes contradict', () => {
  it('GB2312 bytes served as charset=utf-8 follow the XML declaration, with a warning (no U+FFFD)', async () => {
    const { readFileSync } = await import('node:fs');
    const { corpus } = await import('../helpers/paths.js');
    const { decodeBody } = await import('../../src/fetch/decode.js');
    const bytes = readFileSync(corpus('feeds', 'non-utf8', 'zh-softsea.gb2312.rss2.xml'));
    const r = decodeBody(bytes, 'text/xml; charset=utf-8', 'feed');
    assert.equal(r.encoding, 'gb18030');
    assert.equal(r.text.includes('\uFFFD'), false);
    assert.match(r.warnings.join('\n'), /Content-Type says utf-8 but the bytes are not UTF-8/);
    assert.equal(r.text, new TextDecoder('gb18030').decode(bytes).replace(/^\uFEFF/, ''));
  });
  it('real UTF-8 served as utf-8 is untouched; Latin-1 served as utf-8 without a declaration reads as windows-1252', async () => {
    const { decodeBody } = await import('../../src/fetch/decode.js');
    const utf8 = Buffer.from('<?xml version="1.0"?><rss><channel><title>Café 中文</title></channel></rss>');
    assert.deepEqual([decodeBody(utf8, 'application/xml; charset=utf-8', 'feed').encoding, decodeBody(utf8, 'application/xml; charset=utf-8', 'feed').warnings], ['utf-8', []]);
    const latin = Buffer.from('<rss><channel><title>Caf\xe9 cr\xe8me br\xfbl\xe9e</title></channel></rss>', 'latin1');
    const r = decodeBody(latin, 'application/rss+xml; charset=UTF-8', 'feed');
    assert.equal(r.encoding, 'windows-1252');
    assert.match(r.text, /Café crème brûlée/);
  });
});
