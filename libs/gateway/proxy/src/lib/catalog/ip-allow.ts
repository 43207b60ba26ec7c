import { compileCidrs, parseCidr, type AddressMatcher } from '@synapse/gateway/config';

/** Whether a caller's address is in a key's allow-list. */
export type IpMatcher = (ip: string | undefined) => boolean;

/**
 * Compiles a key's CIDR blocks once per catalog snapshot (IPv4 and IPv6; an IPv4-mapped IPv6
 * address such as `::ffff:10.1.2.3` matches IPv4 blocks). Entries that do not parse allow nothing
 * and are returned, so that the snapshot can warn about them.
 */
export function compileIpAllow(cidrs: readonly string[]): { matches: IpMatcher; invalid: string[] } {
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const text of cidrs) (parseCidr(text) ? valid : invalid).push(text);
  const inList: AddressMatcher = compileCidrs(valid);
  return { matches: (ip) => ip !== undefined && inList(ip), invalid };
}
