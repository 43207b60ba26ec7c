import { BlockList } from 'node:net';
import { parseCidr } from './cidr';

/** Whether an address belongs to a set of CIDR blocks (IPv4-mapped IPv6 addresses match IPv4 blocks). */
export type AddressMatcher = (address: string) => boolean;

/** Compiles CIDR blocks once; the caller has checked them with parseCidr. */
export function compileCidrs(cidrs: readonly string[]): AddressMatcher {
  if (cidrs.length === 0) return () => false;
  const list = new BlockList();
  for (const text of cidrs) {
    const cidr = parseCidr(text);
    if (!cidr) throw new Error(`not a CIDR block: ${text}`);
    list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  return (address) => {
    try {
      return list.check(address, address.includes(':') ? 'ipv6' : 'ipv4');
    } catch {
      return false;
    }
  };
}

/** `::ffff:192.0.2.1` as `192.0.2.1`, so that one caller has one address in logs and counters. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * The caller's address behind reverse proxies (`TRUSTED_PROXIES`). `X-Forwarded-For` is read only
 * when the connecting peer is a trusted proxy, and then from the right: each trusted proxy appends
 * the address it received from, so the right-most address that is not a trusted proxy is the first
 * one no trusted party vouches against. Anything left of it was written by the caller and is ignored.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  isTrustedProxy: AddressMatcher,
): string | undefined {
  if (peer === undefined) return undefined;
  let client = plainAddress(peer);
  if (!forwardedFor || !isTrustedProxy(client)) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i].trim();
    if (!hop) continue;
    client = plainAddress(hop);
    if (!isTrustedProxy(client)) return client;
  }
  return client;
}
