import net from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Private-address guard: which IP addresses an outbound fetch must never reach when
 * `http.allowPrivateNetworks` is false (SSRF protection: a feed or article URL must not make
 * duofeed talk to the machine itself, the LAN or a cloud metadata endpoint).
 *
 * Policy: only globally routable unicast is allowed. Everything ipaddr.js classifies as a
 * special range is refused, and addresses that embed an IPv4 address (IPv4-mapped,
 * IPv4-translated, NAT64 64:ff9b::/96 and 64:ff9b:1::/48, 6to4 2002::/16) are judged by the
 * embedded IPv4 address.
 */

/** Cloud metadata endpoints, named separately so the refusal message says what was hit. */
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

/** IPv6 ranges that carry a (possibly public) IPv4 address inside them. */
const EMBEDDING_RANGES = new Set(['ipv4Mapped', 'rfc6145', 'rfc6052', '6to4']);

/**
 * Names the special range an IP address falls in, or null when it is public unicast.
 * @param address an IP address in canonical textual form (`127.0.0.1`, `::1`, optionally in
 *   brackets `[::1]` as URL hosts are written); anything that is not an IP address is refused
 *   with `invalid`, so callers never mistake a host name for a safe address
 * @returns `null` for a public address; otherwise a range name such as `loopback`, `private`,
 *   `linkLocal`, `carrierGradeNat`, `uniqueLocal`, `metadata`, `multicast`, `reserved`
 */
export function privateRangeOf(address: string): string | null {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  // net.isIP only accepts canonical forms; ipaddr.parse alone would also take `0x7f.1` or
  // `2130706433`, which must never reach this point un-normalized.
  const family = net.isIP(bare.replace(/%.*$/, ''));
  if (family === 0) return 'invalid';
  const parsed = ipaddr.parse(bare);
  const normalized = parsed.toNormalizedString();
  if (METADATA_ADDRESSES.has(parsed.kind() === 'ipv6' ? compressIPv6(parsed as ipaddr.IPv6) : normalized)) {
    return 'metadata';
  }
  if (parsed.kind() === 'ipv4') {
    const range = (parsed as ipaddr.IPv4).range();
    return range === 'unicast' ? null : range;
  }
  const v6 = parsed as ipaddr.IPv6;
  // IPv4-compatible IPv6 (::a.b.c.d, RFC 4291 §2.5.5.1, deprecated): ipaddr.js calls it unicast,
  // but it names an IPv4 host; no public service is reached that way, so it is refused outright.
  if (v6.parts.slice(0, 6).every((p) => p === 0) && ((v6.parts[6] ?? 0) !== 0 || (v6.parts[7] ?? 0) > 1)) {
    return 'ipv4Compatible';
  }
  const range: string = v6.range();
  if (EMBEDDING_RANGES.has(range)) {
    const inner = embeddedIPv4(v6, range);
    const innerRange = privateRangeOf(inner);
    return innerRange === null ? null : `${range}(${innerRange})`;
  }
  return range === 'unicast' ? null : range;
}

/**
 * True when `address` must be refused (see {@link privateRangeOf}).
 * @param address canonical IPv4 or IPv6 address text
 */
export function isPrivateAddress(address: string): boolean {
  return privateRangeOf(address) !== null;
}

function compressIPv6(v6: ipaddr.IPv6): string {
  return v6.toRFC5952String();
}

/** The IPv4 address carried inside an embedding IPv6 range. */
function embeddedIPv4(v6: ipaddr.IPv6, range: string): string {
  const p = v6.parts;
  // 6to4 puts the IPv4 address right after the 2002::/16 prefix; the others in the last 32 bits.
  const [hi, lo] = range === '6to4' ? [p[1] ?? 0, p[2] ?? 0] : [p[6] ?? 0, p[7] ?? 0];
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
}
