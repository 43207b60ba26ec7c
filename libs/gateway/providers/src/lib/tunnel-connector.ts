import type { EgressPolicy } from '@synapse/gateway/config';
import { lookup as dnsLookup } from 'node:dns';
import { isIP, type Socket } from 'node:net';
import { buildConnector } from 'undici';
import { refusalThroughProxy } from './egress-check';
import type { ResolveAll } from './egress-connector';

/** The `code` of a ProxyRefusedError. */
export const PROXY_REFUSED = 'UPSTREAM_PROXY_REFUSED';

/** The forward proxy answered the CONNECT with something else than a 2xx: nothing was sent upstream. */
export class ProxyRefusedError extends Error {
  readonly code = PROXY_REFUSED;

  constructor(status: string) {
    super(
      status === '407'
        ? 'the forward proxy asks for credentials (407): set them in HTTPS_PROXY or HTTP_PROXY (http://user:password@host:port)'
        : `the forward proxy refused the connection to the upstream (${status})`,
    );
    this.name = 'ProxyRefusedError';
  }
}

/** The forward proxy itself could not be reached: said so, or operators look for the upstream. */
function proxyUnreachable(proxy: URL, error: Error): Error {
  const code = (error as { code?: string }).code;
  // A timeout stays one (classified as connecting); the rest names the proxy, never its credentials.
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return error;
  return Object.assign(
    new Error(`the forward proxy ${proxy.protocol}//${proxy.host} could not be reached (${code ?? error.message})`),
    { code: PROXY_REFUSED },
  );
}

/** The proxy's answer to a CONNECT is a status line and a few headers: more is not a proxy. */
const MAX_CONNECT_ANSWER_BYTES = 16 * 1024;

/**
 * undici's connector through a forward proxy: a CONNECT tunnel to the upstream's host and port
 * (for http upstreams too, so that the proxy sees no request), then TLS to the upstream over it
 * for https ones, checked against the upstream's own name. It runs once per new connection.
 *
 * The egress policy still applies to the upstream, as far as this host can tell: an IP literal and
 * a cloud metadata name are checked as without a proxy, and a name this host resolves must resolve
 * to allowed addresses only (the proxy may dial any of them). A name this host cannot resolve is
 * left to the proxy, whose network and rules it then is (docs/configuration.md).
 */
export function tunnelConnector(
  proxy: URL,
  /** None for the gateway's calls to places the operator set (an OIDC provider), not a channel's. */
  policy: EgressPolicy | undefined,
  options: { timeout: number },
  resolve: ResolveAll = dnsLookup,
): buildConnector.connector {
  const connect = buildConnector({ timeout: options.timeout });
  const authorization = proxy.username
    ? `Basic ${Buffer.from(`${decoded(proxy.username)}:${decoded(proxy.password)}`).toString('base64')}`
    : undefined;
  const proxyTarget = {
    hostname: proxy.hostname,
    host: proxy.host,
    protocol: proxy.protocol,
    port: proxy.port || (proxy.protocol === 'https:' ? '443' : '80'),
    servername: isIP(proxy.hostname.replace(/^\[|\]$/g, '')) ? undefined : proxy.hostname,
  };
  return (target, callback) => {
    const authority = `${target.hostname}:${target.port || (target.protocol === 'https:' ? '443' : '80')}`;
    const checked = policy ? refusalThroughProxy.bind(null, policy) : unchecked;
    checked(target.hostname, resolve, (refusal) => {
      if (refusal) return callback(refusal, null);
      connect(proxyTarget, (error, socket) => {
        if (error || !socket) return callback(proxyUnreachable(proxy, error ?? new Error('no connection')), null);
        openTunnel(socket, authority, authorization, options.timeout, (failure) => {
          if (failure) {
            socket.destroy();
            return callback(failure, null);
          }
          if (target.protocol !== 'https:') return callback(null, socket);
          connect({ ...target, httpSocket: socket }, callback);
        });
      });
    });
  };
}

function unchecked(_hostname: string, _resolve: ResolveAll, done: (refusal: Error | null) => void): void {
  process.nextTick(done, null);
}

/** A URL's user or password as written, `%` escapes decoded; a malformed escape is left as it is. */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** Asks the proxy for a tunnel to `authority` and reads its answer; `done(null)` once the tunnel is open. */
function openTunnel(
  socket: Socket,
  authority: string,
  authorization: string | undefined,
  timeoutMs: number,
  done: (failure: Error | null) => void,
): void {
  let answer = Buffer.alloc(0);
  const finish = (failure: Error | null, rest?: Buffer) => {
    clearTimeout(timer);
    socket.off('data', onData).off('error', finish).off('close', onClose);
    if (!failure && rest?.length) socket.unshift(rest);
    done(failure);
  };
  const onClose = () =>
    finish(
      Object.assign(new Error('the forward proxy closed the connection before it opened the tunnel'), {
        code: PROXY_REFUSED,
      }),
    );
  const onData = (chunk: Buffer) => {
    answer = Buffer.concat([answer, chunk]);
    const end = answer.indexOf('\r\n\r\n');
    if (end < 0) {
      if (answer.length > MAX_CONNECT_ANSWER_BYTES) finish(new ProxyRefusedError('an answer that is not HTTP'));
      return;
    }
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer.subarray(0, end).toString('latin1'))?.[1];
    if (!status) return finish(new ProxyRefusedError('an answer that is not HTTP'));
    if (!status.startsWith('2')) return finish(new ProxyRefusedError(status));
    finish(null, answer.subarray(end + 4));
  };
  const timer = setTimeout(
    () =>
      finish(
        Object.assign(new Error('the forward proxy did not open the tunnel in time'), {
          code: 'UND_ERR_CONNECT_TIMEOUT',
        }),
      ),
    timeoutMs,
  );
  socket.on('data', onData).once('error', finish).once('close', onClose);
  socket.write(
    `CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n` +
      (authorization ? `Proxy-Authorization: ${authorization}\r\n` : '') +
      '\r\n',
  );
}
