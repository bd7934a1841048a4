import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { caseFile, REPO_ROOT } from '../helpers/paths.js';
import { compileCron, nextRunAfter } from '../../src/scheduler/cron-zone.js';

type Case38 = {
  hostTimezone: string;
  jobs: Array<{ name: string; schedule: string; timezone: string }>;
  windows: Array<{ from: string; to: string }>;
};

const cfg = JSON.parse(readFileSync(caseFile('38-cron-foreign-timezone-dst', 'config.json'), 'utf8')) as Case38;
const expected = JSON.parse(readFileSync(caseFile('38-cron-foreign-timezone-dst', 'expected-runs.json'), 'utf8')) as Record<
  string,
  { spring: string[]; autumn: string[] }
>;

// The child walks each window minute by minute with a fake clock under a given host TZ and
// prints every firing instant; the parent compares host zones and the case's expectations.
const script = `
const { compileCron } = await import(${JSON.stringify(path.join(REPO_ROOT, '.test-build/src/scheduler/cron-zone.js'))});
const cfg = ${JSON.stringify(cfg)};
const out = {};
for (const job of cfg.jobs) {
  const spec = compileCron(job.schedule, job.timezone);
  out[job.name] = cfg.windows.map((w) => {
    const fired = [];
    for (let t = Date.parse(w.from); t < Date.parse(w.to); t += 60000) {
      const d = new Date(t);
      if (spec.matches(d)) fired.push(d.toISOString().replace('.000Z', 'Z'));
    }
    return fired;
  });
}
process.stdout.write(JSON.stringify(out));
`;

function runUnder(tz: string): Record<string, string[][]> {
  const text = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TZ: tz }, encoding: 'utf8' });
  return JSON.parse(text) as Record<string, string[][]>;
}

describe('scheduler: cron in the job zone (case 38)', () => {
  it('fires each job exactly at the expected UTC instants under TZ=Europe/London', () => {
    const got = runUnder(cfg.hostTimezone);
    for (const job of cfg.jobs) {
      assert.deepEqual(got[job.name], [expected[job.name]!.spring, expected[job.name]!.autumn], job.name);
    }
  });

  it('produces identical runs under TZ=UTC and TZ=America/New_York', () => {
    const london = runUnder('Europe/London');
    assert.deepEqual(runUnder('UTC'), london);
    assert.deepEqual(runUnder('America/New_York'), london);
  });

  it('variant: a daily 02:30 job in Europe/Berlin is skipped on spring-forward day and fires once in autumn', () => {
    const spec = compileCron('30 2 * * *', 'Europe/Berlin');
    const fires = (from: string, to: string): string[] => {
      const out: string[] = [];
      for (let t = Date.parse(from); t < Date.parse(to); t += 60_000) if (spec.matches(new Date(t))) out.push(new Date(t).toISOString());
      return out;
    };
    // 2019-03-31 02:30 does not exist in Berlin; 2019-10-27 02:30 exists twice (CEST and CET).
    assert.deepEqual(fires('2019-03-30T12:00:00Z', '2019-03-31T12:00:00Z'), []);
    assert.deepEqual(fires('2019-10-26T12:00:00Z', '2019-10-27T12:00:00Z'), ['2019-10-27T00:30:00.000Z', '2019-10-27T01:30:00.000Z']);
  });

  it('nextRunAfter walks the same instants as the matcher', () => {
    const spec = compileCron('0 * * * *', 'Asia/Tokyo');
    const runs: string[] = [];
    let t = new Date(Date.parse('2019-03-30T22:00:00Z') - 1000);
    for (let i = 0; i < 6; i++) {
      t = nextRunAfter(spec, t)!;
      runs.push(t.toISOString().replace('.000Z', 'Z'));
    }
    assert.deepEqual(runs, expected['refresh-tokyo-feeds']!.spring);
  });

  it('day-of-month and day-of-week restricted together match either (Vixie cron)', () => {
    const spec = compileCron('0 0 13 * 5', 'UTC');
    assert.equal(spec.matches(new Date('2026-11-13T00:00:00Z')), true); // the 13th (a Friday)
    assert.equal(spec.matches(new Date('2026-11-20T00:00:00Z')), true); // a Friday
    assert.equal(spec.matches(new Date('2026-11-14T00:00:00Z')), false);
  });
});
