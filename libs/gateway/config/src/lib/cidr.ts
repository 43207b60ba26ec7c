import { BlockList, isIP } from 'node:net';

/** A CIDR block as the allow-lists take it: `10.0.0.0/8`, `2001:db8::/32`, or one address (`192.0.2.7`). */
export interface Cidr {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** The block, or null when the text is not an IPv4 or IPv6 address with an optional prefix length in range. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  const bits = slash < 0 ? String(max) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return null;
  return { address, prefix: Number(bits), family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** Whether an address belongs to a set of CIDR blocks (IPv4-mapped IPv6 addresses match IPv4 blocks). */
export type AddressMatcher = (address: string) => boolean;

/** Compiles CIDR blocks once (the allow-lists, TRUSTED_PROXIES); an entry that does not parse throws. */
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
