import { isMetadataHostName, type EgressPolicy } from '@synapse/gateway/config';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { buildConnector } from 'undici';

/** The `code` of an EgressRefusedError, as socket errors carry theirs. */
export const EGRESS_REFUSED = 'UPSTREAM_ADDRESS_REFUSED';

/** The egress policy refused every address of an upstream's host: no connection was opened, nothing was sent. */
export class EgressRefusedError extends Error {
  readonly code = EGRESS_REFUSED;

  constructor(reason: string) {
    super(`upstream address refused by the egress policy: ${reason}`);
    this.name = 'EgressRefusedError';
  }
}

/** dns.lookup's shape with `all: true`, so that tests and callers can give another resolver. */
export type ResolveAll = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A `lookup` for net/tls.connect that resolves as usual, then keeps only the addresses the policy
 * allows: the address actually dialled is the one checked, so a name that resolves (or is rebound)
 * to a metadata or private address is refused at connect time, whatever it resolved to at save.
 */
export function egressLookup(policy: EgressPolicy, resolve: ResolveAll = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    if (isMetadataHostName(hostname)) {
      process.nextTick(callback, new EgressRefusedError(`${hostname} is a cloud metadata host name`), '');
      return;
    }
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const allowed = addresses.filter((a) => policy.refusal(a.address) === null);
      if (allowed.length === 0) {
        const reasons = addresses.map((a) => policy.refusal(a.address)).join('; ');
        return callback(new EgressRefusedError(`${hostname} resolves to ${reasons || 'no address'}`), '');
      }
      if (options.all) callback(null, allowed);
      else callback(null, allowed[0].address, allowed[0].family);
    });
  };
}

/**
 * undici's connector with the policy in front: an IP literal is checked before dialling (net skips
 * `lookup` for those), a host name through `egressLookup`. It runs once per new connection, never
 * per request on a kept-alive one.
 */
export function egressConnector(policy: EgressPolicy, options: { timeout: number }): buildConnector.connector {
  const connect = buildConnector({ timeout: options.timeout, lookup: egressLookup(policy) });
  return (target, callback) => {
    const refusal = isIP(target.hostname) ? policy.refusal(target.hostname) : null;
    if (refusal) {
      process.nextTick(callback, new EgressRefusedError(refusal), null);
      return;
    }
    connect(target, callback);
  };
}
