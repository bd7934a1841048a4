import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { DuofeedError } from '../../src/errors.js';
import { parseFeed } from '../../src/parse/parse-feed.js';
import { parseFeedInWorker } from '../../src/parse/parse-in-worker.js';
import { caseFile, corpus } from '../helpers/paths.js';

const run = promisify(execFile);
const opts = (feedUrl: string) => ({ feedUrl, timezone: null, maxItems: 500, sourceId: 'w' });

async function rejectsWithCode(p: Promise<unknown>, code: string): Promise<DuofeedError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof DuofeedError, `not a DuofeedError: ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected ${code}`);
}

describe('hostile: parseFeedInWorker (case 23: big documents parsed off the event loop)', function () {
  this.timeout(120_000);

  it('gives exactly what parseFeed gives, for RSS, Atom and JSON Feed, when forced into the worker', async () => {
    for (const [file, url] of [
      [corpus('feeds', 'generated', 'google-ai-blog.olshansk.rss2.xml'), 'https://example.org/rss.xml'],
      [corpus('feeds', 'ai-tech', 'theverge-frontpage-2017.atom'), 'https://example.org/atom.xml'],
      [corpus('feeds', 'jsonfeed', 'journal-3960.jsonfeed-1.1.json'), 'https://example.org/feed.json'],
    ] as const) {
      const text = readFileSync(file, 'utf8');
      const inWorker = await parseFeedInWorker(text, opts(url), { inWorkerAboveChars: 0 });
      assert.deepEqual(inWorker, await parseFeed(text, opts(url)), file);
      assert.ok(inWorker.items.length > 0);
    }
  });

  it('passes coded parse errors through with their code, URL and source', async () => {
    const e = await rejectsWithCode(parseFeedInWorker('<rss><channel><item><title>x</channel>', opts('https://example.org/bad.xml'), { inWorkerAboveChars: 0 }), 'PARSE_XML');
    assert.equal(e.url, 'https://example.org/bad.xml');
    assert.equal(e.sourceId, 'w');
    assert.equal(e.stage, 'parse');
    await rejectsWithCode(parseFeedInWorker('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><rss version="2.0"><channel><title>&b;</title></channel></rss>', opts('https://example.org/xxe.xml'), { inWorkerAboveChars: 0 }), 'PARSE_DTD_FORBIDDEN');
    await rejectsWithCode(parseFeedInWorker('{"version": ', opts('https://example.org/x.json'), { inWorkerAboveChars: 0 }), 'PARSE_JSON');
  });

  it('a document that needs more than the heap cap fails with PARSE_OUT_OF_MEMORY and the process lives on', async () => {
    const { stdout } = await run(process.execPath, [caseFile('23-huge-feed', 'generate.mjs'), '3000'], { maxBuffer: 64 * 1024 * 1024 });
    const e = await rejectsWithCode(parseFeedInWorker(stdout, opts('https://example.org/big.xml'), { maxHeapMb: 16 }), 'PARSE_OUT_OF_MEMORY');
    assert.match(e.message, /https:\/\/example\.org\/big\.xml/);
    // Same document, default cap: parsed, newest 500 kept.
    const feed = await parseFeedInWorker(stdout, opts('https://example.org/big.xml'));
    assert.equal(feed.items.length, 500);
    assert.equal(feed.items[0]!.title, 'Post number 0');
  });

  it('an aborted poll terminates the worker', async () => {
    const { stdout } = await run(process.execPath, [caseFile('23-huge-feed', 'generate.mjs'), '2000'], { maxBuffer: 64 * 1024 * 1024 });
    const controller = new AbortController();
    const p = parseFeedInWorker(stdout, opts('https://example.org/big.xml'), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutdown')), 10);
    const e = await rejectsWithCode(p, 'INTERNAL');
    assert.match(e.message, /aborted/);
  });
});
