import assert from 'node:assert/strict';
import { compileCron, compiledCron, nextRunAfter } from '../../src/scheduler/cron-zone.js';

describe('scheduler: compiledCron (one compilation per expression and zone)', () => {
  it('returns the same spec for the same expression and zone, a different one otherwise', () => {
    const a = compiledCron('*/10 * * * * *', null);
    assert.equal(compiledCron('*/10 * * * * *', null), a);
    assert.equal(compiledCron('*/10 * * * * *', 'UTC'), a, 'null is UTC');
    assert.notEqual(compiledCron('*/10 * * * * *', 'Asia/Tokyo'), a);
    assert.notEqual(compiledCron('*/20 * * * * *', null), a);
    assert.deepEqual(a.seconds, [0, 10, 20, 30, 40, 50]);
    assert.deepEqual(compiledCron('*/30 * * * *', null).seconds, [0]);
  });

  it('gives the same next runs as a fresh compilation, seconds fields included', () => {
    for (const [expr, zone] of [['*/10 * * * * *', null], ['15,45 */5 * * * *', 'Europe/Berlin'], ['30 2 * * *', 'Europe/Berlin'], ['0 0 13 * 5', null]] as const) {
      let t1 = new Date('2019-10-26T23:59:07.500Z');
      let t2 = t1;
      for (let i = 0; i < 5; i++) {
        t1 = nextRunAfter(compiledCron(expr, zone), t1)!;
        t2 = nextRunAfter(compileCron(expr, zone), t2)!;
        assert.equal(t1.toISOString(), t2.toISOString(), `${expr} in ${zone ?? 'UTC'}`);
      }
    }
    assert.equal(nextRunAfter(compiledCron('15,45 */5 * * * *', null), new Date('2026-01-01T00:04:50Z'))!.toISOString(), '2026-01-01T00:05:15.000Z');
  });

  it('an invalid expression throws and is not remembered', () => {
    assert.throws(() => compiledCron('61 * * * *', null));
    assert.throws(() => compiledCron('61 * * * *', null));
  });
});
