import assert from 'node:assert/strict';
import { parseRetryAfter } from '../../src/fetch/retry-after.js';
import { FixedClock } from '../helpers/clock.js';

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  const now = new FixedClock('2026-11-30T12:00:00.000Z').now();

  it('delay-seconds', () => {
    assert.equal(parseRetryAfter('120', now), 120000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('3600', null), 3600000);
  });

  it('IMF-fixdate and RFC 850 dates, relative to the clock', () => {
    assert.equal(parseRetryAfter('Mon, 30 Nov 2026 12:01:30 GMT', now), 90000);
    assert.equal(parseRetryAfter('Monday, 30-Nov-26 12:10:00 GMT', now), 600000);
  });

  it('a date in the past gives 0; without a clock a date gives null', () => {
    assert.equal(parseRetryAfter('Sun, 29 Nov 2026 12:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('Mon, 30 Nov 2026 12:01:30 GMT', null), null);
  });

  it('absent or unreadable → null', () => {
    for (const v of [null, '', 'soon', '-5', '1.5', '12abc']) assert.equal(parseRetryAfter(v, now), null, String(v));
  });
});
