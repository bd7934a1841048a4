import assert from 'node:assert/strict';
import { parseCli } from '../../src/cli/args.js';
import { DuofeedError } from '../../src/errors.js';

describe('cli: arguments', () => {
  it('defaults to run with ./feeds.config.json, ./data, port 8080', () => {
    const o = parseCli([], {});
    assert.deepEqual([o.command, o.configPath, o.dataDir, o.port, o.logLevel], ['run', './feeds.config.json', './data', 8080, 'info']);
  });
  it('environment overrides defaults; flags override the environment', () => {
    const env = { DUOFEED_CONFIG: '/etc/duofeed.json', DATA_DIR: '/var/lib/duofeed', PORT: '9000', LOG_LEVEL: 'debug' };
    const e = parseCli(['serve'], env);
    assert.deepEqual([e.command, e.configPath, e.dataDir, e.port, e.logLevel], ['serve', '/etc/duofeed.json', '/var/lib/duofeed', 9000, 'debug']);
    const f = parseCli(['poll-once', '--config', 'c.json', '--data-dir', 'd', '--port', '1234'], env);
    assert.deepEqual([f.command, f.configPath, f.dataDir, f.port], ['poll-once', 'c.json', 'd', 1234]);
  });
  it('rejects an unknown LOG_LEVEL and names PORT when the bad port came from the environment', () => {
    assert.throws(() => parseCli(['run'], { LOG_LEVEL: 'bogus' }), (e: DuofeedError) => e.code === 'CLI_USAGE' && /LOG_LEVEL must be one of/.test(e.message));
    assert.throws(() => parseCli(['run'], { PORT: 'abc' }), (e: DuofeedError) => e.code === 'CLI_USAGE' && /^PORT must be/.test(e.message));
  });
  it('rejects unknown commands, flags and bad ports with the usage text', () => {
    for (const argv of [['fetch'], ['--nope'], ['run', '--port', 'http'], ['run', '--port', '70000'], ['run', 'serve']]) {
      assert.throws(() => parseCli(argv, {}), (e: DuofeedError) => e.code === 'CLI_USAGE' && /Usage|port/.test(e.message), argv.join(' '));
    }
  });
});
