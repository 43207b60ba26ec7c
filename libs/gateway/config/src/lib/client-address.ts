import type { AddressMatcher } from './cidr';

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
