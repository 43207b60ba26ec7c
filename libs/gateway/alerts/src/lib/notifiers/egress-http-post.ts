import type { EgressPolicy, UpstreamProxies } from '@synapse/gateway/config';
import { outboundConnector } from '@synapse/gateway/providers';
import { Agent, request } from 'undici';
import type { HttpPost } from './http-delivery';

/** Longest a receiver may take to answer one attempt. */
const TIMEOUT_MS = 10_000;

/**
 * HTTP POSTs to notification receivers through the egress policy that guards upstream channels:
 * the address actually dialled is checked, after DNS, on every new connection; through the
 * forward proxy (HTTPS_PROXY) where one is set.
 */
export function egressHttpPost(
  policy: EgressPolicy,
  proxies?: UpstreamProxies,
  timeoutMs = TIMEOUT_MS,
): { post: HttpPost; close: () => Promise<void> } {
  const agent = new Agent({
    connect: outboundConnector(policy, proxies, { timeout: timeoutMs }),
    keepAliveTimeout: 1_000,
  });
  return {
    post: async ({ url, headers, body }) => {
      const answer = await request(url, {
        method: 'POST',
        headers,
        body,
        dispatcher: agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      return { status: answer.statusCode, body: await answer.body.text() };
    },
    close: () => agent.close(),
  };
}
