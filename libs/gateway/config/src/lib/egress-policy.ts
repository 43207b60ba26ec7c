import { BlockList, isIP } from 'node:net';
import { parseCidr, type Cidr } from './cidr';

/**
 * Private and loopback ranges: self-hosted models often live there (localhost, a compose network),
 * so the default of UPSTREAM_ALLOWED_PRIVATE_CIDRS allows all of them.
 */
export const PRIVATE_NETWORKS: readonly string[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '127.0.0.0/8',
  '100.64.0.0/10',
  '::1/128',
  'fc00::/7',
];

/**
 * Never dialled whatever the allow-list holds, unless an entry inside one of them re-allows it
 * on purpose (`169.254.169.254/32`). The narrowest block that holds an address names the reason.
 */
const REFUSED_NETWORKS: readonly [cidr: string, what: string][] = [
  ['169.254.169.254/32', 'a cloud metadata address'],
  ['fd00:ec2::254/128', 'a cloud metadata address'],
  ['100.100.100.200/32', 'a cloud metadata address'],
  ['169.254.0.0/16', 'a link-local address'],
  ['fe80::/10', 'a link-local address'],
  ['0.0.0.0/8', 'an unspecified address'],
  ['::/128', 'the unspecified address'],
  ['224.0.0.0/4', 'a multicast address'],
  ['ff00::/8', 'a multicast address'],
  ['255.255.255.255/32', 'the broadcast address'],
];

/** Names that reach a cloud provider's instance metadata from inside the cloud. */
const METADATA_HOST_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** NAT64's well-known prefix: the last 32 bits are the IPv4 address a translator dials. */
const NAT64 = single('64:ff9b::/96');

interface RefusedBlock {
  cidr: Cidr;
  matches: BlockList;
  what: string;
  /** Allow-list entries inside this block, which re-allow those addresses. */
  reallowed: BlockList | null;
}

/**
 * Which addresses the gateway may connect to for an upstream (SSRF protection): never link-local,
 * metadata, unspecified, multicast or broadcast addresses; private and loopback ones only inside
 * the allow-list; public ones always. Framework-free: the admin API checks a base URL with it at
 * save, provisioning at start, and the upstream client every address it dials after DNS.
 */
export class EgressPolicy {
  private readonly allowedPrivate = new BlockList();
  private readonly privateRanges = new BlockList();
  private readonly refused: RefusedBlock[];

  /** `allowedPrivateNetworks`: CIDRs (already validated by the env schema); entries that do not parse allow nothing. */
  constructor(allowedPrivateNetworks: readonly string[] = PRIVATE_NETWORKS) {
    const allowed = allowedPrivateNetworks.map(parseCidr).filter((c): c is Cidr => c !== null);
    for (const cidr of allowed) this.allowedPrivate.addSubnet(cidr.address, cidr.prefix, cidr.family);
    for (const text of PRIVATE_NETWORKS) add(this.privateRanges, text);
    this.refused = REFUSED_NETWORKS.map(([text, what]) => {
      const cidr = parseCidr(text) as Cidr;
      const inside = allowed.filter((entry) => contains(cidr, entry));
      let reallowed: BlockList | null = null;
      if (inside.length) {
        reallowed = new BlockList();
        for (const entry of inside) reallowed.addSubnet(entry.address, entry.prefix, entry.family);
      }
      return { cidr, matches: single(text), what, reallowed };
    });
  }

  /** Why the gateway must not connect to this IP address, or null when it may. Unparsable addresses are refused. */
  refusal(address: string): string | null {
    const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
    const family = familyOf(ip);
    if (!family) return `'${address}' is not an IP address`;
    const embedded = family === 'ipv6' && NAT64.check(ip, 'ipv6') ? embeddedIpv4(ip) : null;
    if (embedded) {
      const inner = this.refusal(embedded);
      if (inner) return `${ip} embeds ${inner}`;
    }
    const block = this.narrowestRefusedBlock(ip, family);
    if (block) return block.reallowed?.check(ip, family) ? null : `${ip} is ${block.what}`;
    if (this.privateRanges.check(ip, family) && !this.allowedPrivate.check(ip, family)) {
      return `${ip} is a private or loopback address outside UPSTREAM_ALLOWED_PRIVATE_CIDRS`;
    }
    return null;
  }

  /**
   * What can be told from a URL's host without DNS: an IP literal is checked, a cloud metadata name
   * is refused; other names are checked once they resolve. The URL must parse.
   */
  refusalOfUrl(url: string): string | null {
    const hostname = new URL(url).hostname;
    if (isMetadataHostName(hostname)) return `${hostname} is a cloud metadata host name`;
    const literal = hostname.replace(/^\[|\]$/g, '');
    return isIP(literal) ? this.refusal(literal) : null;
  }

  private narrowestRefusedBlock(ip: string, family: 'ipv4' | 'ipv6'): RefusedBlock | undefined {
    let narrowest: RefusedBlock | undefined;
    for (const block of this.refused) {
      if (!block.matches.check(ip, family)) continue;
      // IPv4-mapped IPv6 addresses match IPv4 blocks: compare prefixes within one family only.
      if (!narrowest || (block.cidr.family === narrowest.cidr.family && block.cidr.prefix > narrowest.cidr.prefix)) {
        narrowest = block;
      }
    }
    return narrowest;
  }
}

/** A host name (any case, with or without the trailing dot) that serves instance metadata. */
export function isMetadataHostName(hostname: string): boolean {
  return METADATA_HOST_NAMES.has(hostname.toLowerCase().replace(/\.$/, ''));
}

function familyOf(ip: string): 'ipv4' | 'ipv6' | null {
  const version = isIP(ip);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : null;
}

function add(list: BlockList, text: string): void {
  const cidr = parseCidr(text) as Cidr;
  list.addSubnet(cidr.address, cidr.prefix, cidr.family);
}

function single(text: string): BlockList {
  const list = new BlockList();
  add(list, text);
  return list;
}

/** Whether `inner` lies wholly inside `outer` (same family, as narrow or narrower, its start inside). */
function contains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  return single(`${outer.address}/${outer.prefix}`).check(inner.address, inner.family);
}

/** The IPv4 address in the last 32 bits of an IPv6 address. */
function embeddedIpv4(ip: string): string | null {
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (dotted) return dotted[1];
  const groups = ip.split(':');
  const low = parseInt(groups[groups.length - 1] || '0', 16);
  const high = groups.length >= 2 ? parseInt(groups[groups.length - 2] || '0', 16) : 0;
  if (Number.isNaN(low) || Number.isNaN(high)) return null;
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}
