import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { privateRangeOf } from './address-guard.js';

/** A host name resolved (or given) to an address the guard refuses. */
export class BlockedAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(`${host} resolves to ${address} (${range}), a non-public address`);
    this.name = 'BlockedAddressError';
  }
}

/** The resolver the guard calls: node:dns `lookup` with `{ all: true }` semantics. */
export type Resolver = (
  hostname: string,
  options: { all: true; family?: number; hints?: number },
) => Promise<dns.LookupAddress[]>;

const systemResolver: Resolver = (hostname, options) => dns.promises.lookup(hostname, options);

/**
 * Builds a `lookup` for `net.connect`/`tls.connect` (undici `Agent({ connect: { lookup } })`)
 * that resolves a host name once, checks EVERY returned address with the private-address guard,
 * and hands exactly those checked addresses to the socket. Because the socket connects to the
 * addresses that were checked, a DNS answer that changes between check and connect (DNS
 * rebinding) cannot slip a private address through.
 *
 * Node only calls `lookup` for host names; literal IP hosts must be checked by the caller
 * before connecting (see fetchUrl).
 *
 * @param opts.allowPrivateNetworks when true, nothing is refused (addresses are still resolved here)
 * @param opts.resolve resolver to use; default `dns.promises.lookup` (getaddrinfo, honours /etc/hosts)
 * @returns a lookup function; its callback receives a {@link BlockedAddressError} when any
 *   address is refused, or the resolver's own error (codes such as `ENOTFOUND`, `EAI_AGAIN`)
 */
export function createGuardedLookup(opts: { allowPrivateNetworks: boolean; resolve?: Resolver }): LookupFunction {
  const resolve = opts.resolve ?? systemResolver;
  const lookup = (
    hostname: string,
    options: dns.LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void,
  ): void => {
    const query: { all: true; family?: number; hints?: number } = { all: true };
    if (typeof options.family === 'number' && options.family !== 0) query.family = options.family;
    if (options.hints !== undefined) query.hints = options.hints;
    resolve(hostname, query).then(
      (addresses) => {
        if (addresses.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`${hostname} has no addresses`);
          err.code = 'ENOTFOUND';
          callback(err, '');
          return;
        }
        if (!opts.allowPrivateNetworks) {
          for (const a of addresses) {
            const range = privateRangeOf(a.address);
            if (range !== null) {
              callback(new BlockedAddressError(hostname, a.address, range), '');
              return;
            }
          }
        }
        if (options.all) {
          callback(null, addresses);
        } else {
          const first = addresses[0]!;
          callback(null, first.address, first.family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
  return lookup as LookupFunction;
}
