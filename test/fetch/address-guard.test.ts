import assert from 'node:assert/strict';
import type dns from 'node:dns';
import { isPrivateAddress, privateRangeOf } from '../../src/fetch/address-guard.js';
import { fetchUrl } from '../../src/fetch/fetch-url.js';
import { BlockedAddressError, createGuardedLookup, type Resolver } from '../../src/fetch/guarded-lookup.js';
import { startLoopback, type Loopback } from '../helpers/loopback.js';
import { rejectsWith, settings } from './fetch-helpers.js';

describe('address guard: privateRangeOf', () => {
  const refused: Array<[string, string]> = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'linkLocal'],
    ['169.254.169.254', 'metadata'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.100.100.200', 'metadata'],
    ['224.0.0.1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'metadata'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'ipv4Mapped(loopback)'],
    ['::ffff:10.0.0.1', 'ipv4Mapped(private)'],
    ['::ffff:a9fe:a9fe', 'ipv4Mapped(metadata)'],
    ['64:ff9b::7f00:1', 'rfc6052(loopback)'],
    ['64:ff9b::a00:1', 'rfc6052(private)'],
    ['2002:7f00:1::', '6to4(loopback)'],
    ['2002:c0a8:101::1', '6to4(private)'],
    ['[::1]', 'loopback'],
    ['fec0::1', 'deprecatedSiteLocal'],
    ['2001:db8::1', 'reserved'],
    ['localhost', 'invalid'],
    ['0x7f.1', 'invalid'],
    ['2130706433', 'invalid'],
  ];
  for (const [address, range] of refused) {
    it(`refuses ${address} (${range})`, () => {
      assert.equal(privateRangeOf(address), range);
      assert.equal(isPrivateAddress(address), true);
    });
  }
  for (const address of ['93.184.216.34', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:93.184.216.34', '64:ff9b::808:808', '2002:5db8:d822::1']) {
    it(`allows public ${address}`, () => {
      assert.equal(privateRangeOf(address), null);
      assert.equal(isPrivateAddress(address), false);
    });
  }
});

describe('address guard: literal IP hosts are normalized by WHATWG URL', () => {
  for (const [url, host] of [
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
    ['http://[0:0:0:0:0:0:0:1]/', '[::1]'],
  ] as const) {
    it(`${url} → ${host}`, () => {
      const hostname = new URL(url).hostname;
      assert.equal(hostname, host);
      assert.notEqual(privateRangeOf(hostname), null);
    });
  }
});

describe('guarded lookup', () => {
  const fake =
    (addresses: dns.LookupAddress[]): Resolver =>
    async () =>
      addresses;
  const run = (
    lookup: ReturnType<typeof createGuardedLookup>,
    all: boolean,
  ): Promise<{ err: NodeJS.ErrnoException | null; address: unknown; family: unknown }> =>
    new Promise((resolve) => {
      lookup('feeds.example.com', { all }, (err, address, family) => resolve({ err, address, family }));
    });

  it('checks EVERY address: one private among public ones refuses the host', async () => {
    const lookup = createGuardedLookup({
      allowPrivateNetworks: false,
      resolve: fake([
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.5', family: 4 },
      ]),
    });
    const r = await run(lookup, true);
    assert.ok(r.err instanceof BlockedAddressError);
    assert.equal((r.err as BlockedAddressError).address, '10.0.0.5');
    assert.equal((r.err as BlockedAddressError).range, 'private');
  });

  it('hands the checked addresses to the socket (all: true and single form)', async () => {
    const addresses = [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
    ];
    const lookup = createGuardedLookup({ allowPrivateNetworks: false, resolve: fake(addresses) });
    const all = await run(lookup, true);
    assert.equal(all.err, null);
    assert.deepEqual(all.address, addresses);
    const one = await run(lookup, false);
    assert.equal(one.err, null);
    assert.equal(one.address, '93.184.216.34');
    assert.equal(one.family, 4);
  });

  it('allowPrivateNetworks passes private addresses through', async () => {
    const lookup = createGuardedLookup({ allowPrivateNetworks: true, resolve: fake([{ address: '127.0.0.1', family: 4 }]) });
    const r = await run(lookup, false);
    assert.equal(r.err, null);
    assert.equal(r.address, '127.0.0.1');
  });

  it('resolver errors pass through with their code', async () => {
    const lookup = createGuardedLookup({
      allowPrivateNetworks: false,
      resolve: async () => {
        throw Object.assign(new Error('queryA ESERVFAIL'), { code: 'EAI_AGAIN' });
      },
    });
    const r = await run(lookup, true);
    assert.equal(r.err?.code, 'EAI_AGAIN');
  });
});

describe('fetchUrl: private-address refusal', () => {
  let lb: Loopback;
  let port: string;
  let hits = 0;
  before(async () => {
    lb = await startLoopback((_req, res) => {
      hits++;
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end('<rss version="2.0"><channel><title>Private</title></channel></rss>');
    });
    port = new URL(lb.origin).port;
  });
  after(() => lb.close());
  beforeEach(() => {
    hits = 0;
  });

  const forms = () => [
    [`http://127.0.0.1:${port}/feed`, '127.0.0.1'],
    [`http://2130706433:${port}/feed`, '127.0.0.1'],
    [`http://0x7f.1:${port}/feed`, '127.0.0.1'],
    [`http://0177.0.0.1:${port}/feed`, '127.0.0.1'],
    [`http://[::1]:${port}/feed`, '::1'],
    [`http://[::ffff:127.0.0.1]:${port}/feed`, '::ffff:7f00:1'],
    [`http://localhost:${port}/feed`, '127.0.0.1'],
  ];

  it('refuses loopback in every spelling (decimal, hex, octal, IPv6, mapped, localhost) without connecting', async () => {
    for (const [url, address] of forms()) {
      const e = await rejectsWith(
        fetchUrl({ url: url!, kind: 'feed', etag: null, lastModified: null }, { http: settings({ allowPrivateNetworks: false }) }),
        'FETCH_PRIVATE_ADDRESS',
      );
      assert.ok(e.message.includes(address!), `${e.message} names ${address}`);
      assert.ok(e.message.includes(`:${port}/feed`), `${e.message} names the URL`);
      assert.equal(e.url, url);
    }
    assert.equal(hits, 0);
  });

  it('a host name resolving to a private address is refused with the host and address named', async () => {
    const e = await rejectsWith(
      fetchUrl(
        { url: `http://localhost:${port}/feed`, kind: 'feed', etag: null, lastModified: null },
        { http: settings({ allowPrivateNetworks: false }) },
      ),
      'FETCH_PRIVATE_ADDRESS',
    );
    assert.equal(
      e.message,
      `http://localhost:${port}/feed: refused to connect, localhost resolves to 127.0.0.1 (loopback), a non-public address; set http.allowPrivateNetworks to allow`,
    );
  });

  it('allows loopback when allowPrivateNetworks is true', async () => {
    for (const url of [`http://127.0.0.1:${port}/feed`, `http://2130706433:${port}/feed`, `http://localhost:${port}/feed`]) {
      const r = await fetchUrl({ url, kind: 'feed', etag: null, lastModified: null }, { http: settings({ allowPrivateNetworks: true }) });
      assert.equal(r.status, 200);
      assert.ok(r.text?.includes('<title>Private</title>'));
    }
    assert.equal(hits, 3);
  });
});

describe('fetch/address-guard: IPv4-compatible IPv6 (found by an attacker run)', () => {
  it('::a.b.c.d forms are refused, whatever IPv4 address they carry', async () => {
    const { privateRangeOf } = await import('../../src/fetch/address-guard.js');
    for (const a of ['::7f00:1', '::a00:1', '::a9fe:a9fe', '::808:808', '[::7f00:1]']) assert.equal(privateRangeOf(a), 'ipv4Compatible', a);
    assert.equal(privateRangeOf('::1'), 'loopback');
    assert.equal(privateRangeOf('::'), 'unspecified');
    assert.equal(privateRangeOf('2001:4860:4860::8888'), null);
  });
});
