import assert from 'node:assert/strict';
import { negotiateEncoding } from '../../src/server/compress.js';
import { etagForEncoding, etagListMatches, isNotModified } from '../../src/server/conditional.js';

describe('server/conditional', () => {
  const etag = '"0123456789abcdef0123456789abcdef"';
  const updated = '2026-08-14T10:20:30.456Z';

  it('If-None-Match: weak comparison over a list, any content coding of the same body, and *', () => {
    assert.equal(etagListMatches(etag, etag), true);
    assert.equal(etagListMatches(`W/${etag}`, etag), true);
    assert.equal(etagListMatches(`"a", "b",${etagForEncoding(etag, 'br')}`, etag), true);
    assert.equal(etagListMatches('*', etag), true);
    assert.equal(etagListMatches('"0123456789abcdef0123456789abcdee"', etag), false);
    assert.equal(etagListMatches('0123456789abcdef0123456789abcdef', etag), false);
    assert.equal(etagListMatches('', etag), false);
  });

  it('If-Modified-Since compares whole seconds and is ignored when If-None-Match is present or the date is bad', () => {
    const none = { ifNoneMatch: undefined };
    assert.equal(isNotModified({ ...none, ifModifiedSince: 'Fri, 14 Aug 2026 10:20:30 GMT' }, etag, updated), true);
    assert.equal(isNotModified({ ...none, ifModifiedSince: 'Fri, 14 Aug 2026 10:20:29 GMT' }, etag, updated), false);
    assert.equal(isNotModified({ ...none, ifModifiedSince: 'not a date' }, etag, updated), false);
    assert.equal(isNotModified({ ...none, ifModifiedSince: 'Fri, 14 Aug 2026 10:20:30 GMT' }, etag, null), false);
    assert.equal(isNotModified({ ifNoneMatch: '"x"', ifModifiedSince: 'Fri, 14 Aug 2030 10:20:30 GMT' }, etag, updated), false);
    assert.equal(isNotModified({ ifNoneMatch: undefined, ifModifiedSince: undefined }, etag, updated), false);
  });

  it('Accept-Encoding negotiation honours q-values, * and q=0', () => {
    assert.equal(negotiateEncoding(undefined), 'identity');
    assert.equal(negotiateEncoding('gzip, deflate'), 'gzip');
    assert.equal(negotiateEncoding('gzip, deflate, br'), 'br');
    assert.equal(negotiateEncoding('br;q=0.2, gzip;q=0.8'), 'gzip');
    assert.equal(negotiateEncoding('x-gzip'), 'gzip');
    assert.equal(negotiateEncoding('*'), 'br');
    assert.equal(negotiateEncoding('*;q=0, identity'), 'identity');
    assert.equal(negotiateEncoding('br;q=0, gzip;q=0'), 'identity');
    assert.equal(negotiateEncoding('deflate'), 'identity');
  });
});
