import assert from 'node:assert/strict';
import { buildConfig } from '../../src/config/load-config.js';
import { validateConfig } from '../../src/config/validate-config.js';
import { DuofeedError } from '../../src/errors.js';

const sources = [{ id: 'a', url: 'https://example.com/feed', name: 'A', language: 'en' }];

function problemsOf(raw: unknown): Array<{ path: string; message: string }> {
  try {
    buildConfig(raw, 'test.json');
  } catch (e) {
    assert.ok(e instanceof DuofeedError);
    assert.equal(e.code, 'CONFIG_INVALID');
    return e.details.problems as Array<{ path: string; message: string }>;
  }
  assert.fail('config was accepted');
}

describe('config: output.websubHub', () => {
  it('defaults to null, so the loaded config always carries the key', () => {
    const cfg = buildConfig({ sources }, 'x');
    assert.ok(Object.prototype.hasOwnProperty.call(cfg.output, 'websubHub'));
    assert.equal(cfg.output.websubHub, null);
    assert.equal(buildConfig({ sources, output: { websubHub: null } }, 'x').output.websubHub, null);
  });

  it('keeps a configured http(s) hub URL verbatim (with output.baseUrl)', () => {
    for (const hub of ['https://pubsubhubbub.appspot.com/', 'http://127.0.0.1:8090/hub?x=1']) {
      const cfg = buildConfig({ sources, output: { baseUrl: 'https://news.example.com/', websubHub: hub } }, 'x');
      assert.equal(cfg.output.websubHub, hub);
      assert.equal(cfg.output.baseUrl, 'https://news.example.com');
    }
  });

  it('without output.baseUrl is a problem at /output/websubHub', () => {
    for (const output of [{ websubHub: 'https://hub.example/' }, { websubHub: 'https://hub.example/', baseUrl: null }]) {
      const problems = problemsOf({ sources, output });
      assert.deepEqual(
        problems.map((p) => p.path),
        ['/output/websubHub'],
      );
      assert.match(problems[0]!.message, /output\.baseUrl/);
    }
  });

  it('rejects non-http(s), relative and non-string values at their path', () => {
    for (const websubHub of ['ftp://hub.example/', '/hub', 42, '']) {
      const problems = validateConfig({ sources, output: { baseUrl: 'https://news.example.com', websubHub } });
      assert.ok(problems.length > 0, String(websubHub));
      assert.ok(
        problems.every((p) => p.path === '/output/websubHub'),
        JSON.stringify(problems),
      );
    }
  });
});
