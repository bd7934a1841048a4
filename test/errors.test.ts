import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './helpers/paths.js';
import { DuofeedError, ERROR_CODES, isErrorCode, toDuofeedError } from '../src/errors.js';

describe('errors', () => {
  it('README lists exactly the codes of src/errors.ts', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.split('## Error codes')[1]?.split('\n## ')[0] ?? '';
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]).sort();
    assert.deepEqual(documented, Object.keys(ERROR_CODES).sort());
  });

  it('every code is used somewhere in src/', () => {
    const src = execFileSync('grep', ['-rhoE', '--exclude=errors.ts', `'[A-Z]+_[A-Z_]+'|"[A-Z]+_[A-Z_]+"`, path.join(REPO_ROOT, 'src')], { encoding: 'utf8' });
    const used = new Set(src.split('\n').map((s: string) => s.replace(/['"]/g, '')));
    const unused = Object.keys(ERROR_CODES).filter((c) => c !== 'INTERNAL' && !used.has(c));
    assert.deepEqual(unused, []);
  });

  it('toDuofeedError keeps codes and wraps the rest as INTERNAL with the cause', () => {
    const e = new DuofeedError('FETCH_TIMEOUT', 'slow', { stage: 'fetch', url: 'https://a.example/' });
    assert.equal(toDuofeedError(e, { stage: 'cli' }), e);
    const w = toDuofeedError(new TypeError('boom'), { stage: 'store', sourceId: 's' });
    assert.equal(w.code, 'INTERNAL');
    assert.equal(w.sourceId, 's');
    assert.ok(w.cause instanceof TypeError);
    assert.equal(isErrorCode('FETCH_GONE'), true);
    assert.equal(isErrorCode('NOPE'), false);
    assert.deepEqual(Object.keys(e.toJSON()).sort(), ['code', 'details', 'message', 'sourceId', 'stage', 'url']);
  });
});

