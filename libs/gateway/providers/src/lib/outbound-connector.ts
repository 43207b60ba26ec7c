import type { EgressPolicy, UpstreamProxies } from '@synapse/gateway/config';
import { buildConnector } from 'undici';
import { egressConnector } from './egress-connector';
import { tunnelConnector } from './tunnel-connector';

/**
 * The connector for the gateway's own calls out (upstreams, health checks, alert webhooks, OIDC):
 * through the forward proxy that `proxies` names for the target's origin, direct otherwise; held
 * to the egress policy either way, where one is given.
 */
export function outboundConnector(
  /** None for calls to places the operator set (an OIDC provider): only a channel's are held to it. */
  policy: EgressPolicy | undefined,
  proxies: UpstreamProxies | undefined,
  options: { timeout: number },
): buildConnector.connector {
  const direct = policy ? egressConnector(policy, options) : buildConnector(options);
  if (!proxies?.any) return direct;
  const tunnels = new Map<string, buildConnector.connector>();
  return (target, callback) => {
    const port = target.port ? `:${target.port}` : '';
    const proxy = proxies.for(new URL(`${target.protocol}//${target.hostname}${port}`));
    if (!proxy) return direct(target, callback);
    let tunnel = tunnels.get(proxy.href);
    if (!tunnel) tunnels.set(proxy.href, (tunnel = tunnelConnector(proxy, policy, options)));
    return tunnel(target, callback);
  };
}
