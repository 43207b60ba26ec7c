import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/** The counter of an account: by email, hashed, so that Redis holds no addresses. */
export function accountKey(email: string): string {
  return `account:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32)}`;
}

/** The counter of a client: its IPv4 address, or its IPv6 /64 (one host usually holds a whole /64). */
export function ipKey(ip: string): string {
  const address = ip.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return `ip:${mapped[1]}`;
  if (isIPv4(address) || !isIPv6(address)) return `ip:${address}`;
  return `ip:${ipv6Groups(address).slice(0, 4).join(':')}::/64`;
}

function ipv6Groups(address: string): string[] {
  const [head, tail] = address.split('::');
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  // An embedded IPv4 tail (a.b.c.d) fills two groups.
  const width = (parts: string[]) => parts.reduce((n, p) => n + (p.includes('.') ? 2 : 1), 0);
  const left = groups(head);
  const right = groups(tail);
  const zeros = tail === undefined ? [] : Array<string>(8 - width(left) - width(right)).fill('0');
  return [...left, ...zeros, ...right].map((g) => (g.includes('.') ? g : parseInt(g, 16).toString(16)));
}
