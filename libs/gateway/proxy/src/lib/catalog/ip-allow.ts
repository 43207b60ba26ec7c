import { parseCidr } from '@synapse/gateway/config';
import { BlockList } from 'node:net';

/** Whether a caller's address is in a key's allow-list. */
export type IpMatcher = (ip: string | undefined) => boolean;

/**
 * Compiles a key's CIDR blocks once per catalog snapshot (IPv4 and IPv6; an IPv4-mapped IPv6
 * address such as `::ffff:10.1.2.3` matches IPv4 blocks). Entries that do not parse allow nothing
 * and are returned, so that the snapshot can warn about them.
 */
export function compileIpAllow(cidrs: readonly string[]): { matches: IpMatcher; invalid: string[] } {
  const list = new BlockList();
  const invalid: string[] = [];
  for (const text of cidrs) {
    const cidr = parseCidr(text);
    if (cidr) list.addSubnet(cidr.address, cidr.prefix, cidr.family);
    else invalid.push(text);
  }
  const matches: IpMatcher = (ip) => {
    if (!ip) return false;
    try {
      return list.check(ip, ip.includes(':') ? 'ipv6' : 'ipv4');
    } catch {
      return false;
    }
  };
  return { matches, invalid };
}
