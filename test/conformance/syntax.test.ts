import assert from 'node:assert/strict';
import { isAbsoluteIri, isLanguageTag, isMimeType, isRfc3339, rfc822Time } from './syntax.js';

describe('conformance: the syntax checkers follow their specs', () => {
  it('RFC 3339 date-time: the RFC §5.8 examples pass; a space, no zone, lower-case t/z or Feb 30 fail', () => {
    for (const ok of ['1985-04-12T23:20:50.52Z', '1996-12-19T16:39:57-08:00', '1990-12-31T23:59:60Z', '1937-01-01T12:00:27.87+00:20']) assert.ok(isRfc3339(ok), ok);
    for (const bad of ['2023-11-01 23:49:16Z', '2023-11-01T23:49:16', '2023-11-01t23:49:16z', '2023-02-30T00:00:00Z', '2023-11-01T24:00:00Z', 'Wed, 01 Nov 2023 23:49:16 GMT']) assert.ok(!isRfc3339(bad), bad);
  });

  it('RFC 822 dates as RSS 2.0 uses them: the spec examples pass; a wrong weekday or an ISO date fails', () => {
    assert.equal(rfc822Time('Sat, 07 Sep 2002 00:00:01 GMT'), Date.UTC(2002, 8, 7, 0, 0, 1));
    assert.equal(rfc822Time('Mon, 30 Sep 2002 01:56:02 GMT'), Date.UTC(2002, 8, 30, 1, 56, 2));
    assert.equal(rfc822Time('Wed, 02 Oct 2002 15:00:00 +0200'), Date.UTC(2002, 9, 2, 13, 0, 0));
    assert.equal(rfc822Time('02 Oct 2002 08:00 -0500'), Date.UTC(2002, 9, 2, 13, 0, 0));
    for (const bad of ['Sun, 07 Sep 2002 00:00:01 GMT', '2002-09-07T00:00:01Z', 'Sat, 31 Sep 2002 00:00:01 GMT', 'Sat, 07 Sep 2002 00:00:01']) assert.equal(rfc822Time(bad), null, bad);
  });

  it('IRIs, language tags and media types', () => {
    for (const ok of ['https://www.36kr.com/p/1', 'urn:duofeed:article:abc', 'tag:example.com,2005:entry-1', 'http://techcrunch.com/?p=446154']) assert.ok(isAbsoluteIri(ok), ok);
    for (const bad of ['/feed.xml', 'post-1', 'http://exa mple.com/', '']) assert.ok(!isAbsoluteIri(bad), bad);
    for (const ok of ['zh', 'zh-CN', 'en-US', 'zh-Hant-TW']) assert.ok(isLanguageTag(ok), ok);
    for (const bad of ['', 'z', 'zh_CN', 'en-']) assert.ok(!isLanguageTag(bad), bad);
    for (const ok of ['image/jpeg', 'application/octet-stream', 'text/html; charset=utf-8']) assert.ok(isMimeType(ok), ok);
    for (const bad of ['', 'jpeg', 'image/']) assert.ok(!isMimeType(bad), bad);
  });
});
