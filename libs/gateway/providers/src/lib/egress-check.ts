import { isMetadataHostName, type EgressPolicy } from '@synapse/gateway/config';
import { lookup } from 'node:dns';
import { isIP } from 'node:net';
import { EgressRefusedError, type ResolveAll } from './egress-connector';

/** The resolver a save asks (DNS by default); a token so that tests can answer for the network. */
export const HOST_RESOLVER = Symbol('HOST_RESOLVER');

/** How long a save waits for DNS before leaving the name to the check at connect time. */
const SAVE_LOOKUP_TIMEOUT_MS = 2_000;

/**
 * Why a channel may not use this base URL, checked when it is saved: IP literals and metadata
 * names at once, other host names once resolved (refused when none of their addresses may be
 * dialled, as the connection would be). A name that does not resolve now is accepted: the check at
 * connect time is the one that holds (DNS may change after the save anyway).
 */
export async function refusalOfBaseUrl(
  policy: EgressPolicy,
  baseUrl: string,
  resolve: ResolveAll = lookup,
): Promise<string | null> {
  const direct = policy.refusalOfUrl(baseUrl);
  if (direct) return direct;
  const hostname = new URL(baseUrl).hostname;
  if (isIP(hostname.replace(/^\[|\]$/g, ''))) return null;
  const addresses = await resolveWithin(resolve, hostname, SAVE_LOOKUP_TIMEOUT_MS);
  if (!addresses?.length) return null;
  const refusals = addresses.map((a) => policy.refusal(a.address));
  if (refusals.some((refusal) => refusal === null)) return null;
  return `${hostname} resolves to ${refusals.join('; ')}`;
}

/**
 * The policy's word, at connect time, on an upstream reached through a forward proxy, as far as
 * this host can tell: IP literals and metadata names as without a proxy, a name this host
 * resolves only if all its addresses are allowed (the proxy may dial any); null: go on.
 */
export function refusalThroughProxy(
  policy: EgressPolicy,
  hostname: string,
  resolve: ResolveAll,
  done: (refusal: Error | null) => void,
): void {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const refusal = policy.refusal(host);
    return process.nextTick(done, refusal ? new EgressRefusedError(refusal) : null);
  }
  if (isMetadataHostName(host)) {
    return process.nextTick(done, new EgressRefusedError(`${host} is a cloud metadata host name`));
  }
  resolve(host, { all: true }, (error, addresses) => {
    // A name only the proxy's network resolves: the proxy's to resolve.
    if (error) return done(null);
    const refusals = addresses.map((a) => policy.refusal(a.address)).filter((r): r is string => r !== null);
    done(refusals.length ? new EgressRefusedError(`${host} resolves to ${refusals.join('; ')}`) : null);
  });
}

function resolveWithin(
  resolve: ResolveAll,
  hostname: string,
  timeoutMs: number,
): Promise<{ address: string }[] | null> {
  return new Promise((done) => {
    const timer = setTimeout(() => done(null), timeoutMs);
    timer.unref();
    resolve(hostname, { all: true }, (error, addresses) => {
      clearTimeout(timer);
      done(error ? null : addresses);
    });
  });
}
