import { spawnSync } from 'node:child_process';
import type { Socket } from 'node:net';
import { UpstreamClient } from './upstream-client';
import { errorReading, failureOf, localTarget, localUpstreams, unusedPort } from './testing/local-upstream';
import type { UpstreamTarget } from './upstream-target';

function call(client: UpstreamClient, target: UpstreamTarget) {
  return client.call({ target, path: '/chat/completions', headers: {}, body: '{}' });
}

/** `.invalid` never resolves (RFC 6761); the name is only asked of the system resolver. */
const UNRESOLVABLE = 'synapse-upstream.invalid';
const DNS_ANSWER_BOUND_MS = 3_000;

/**
 * Whether the system resolver says, within a few seconds, that the name does not exist. It is
 * asked before the tests are declared (a child process, the same getaddrinfo the client uses), so
 * that a resolver that hangs here skips that one test instead of failing it on a timeout.
 */
function resolverAnswersPromptly(): boolean {
  const script = `require('node:dns').lookup(${JSON.stringify(UNRESOLVABLE)}, (e) => process.exit(e ? 0 : 1))`;
  const probe = spawnSync(process.execPath, ['-e', script], { timeout: DNS_ANSWER_BOUND_MS });
  return probe.status === 0;
}

const dnsAnswers = resolverAnswersPromptly();
if (!dnsAnswers) {
  console.warn(
    `the resolver did not reject ${UNRESOLVABLE} within ${DNS_ANSWER_BOUND_MS} ms: the DNS failure test is skipped`,
  );
}

describe(`${UpstreamClient.name} errors`, () => {
  const local = localUpstreams();

  it('connection refused (nothing listens on the port): unreachable', async () => {
    const target = localTarget(`http://127.0.0.1:${await unusedPort()}/v1`);
    const failure = await failureOf(call(local.client(), target).response);
    expect(failure.kind).toBe('unreachable');
    expect(failure.message).toBe('upstream is unreachable');
  });

  it('the server closes the connection before answering: unreachable, the connection was closed', async () => {
    const upstream = await local.upstream(({ req }) => req.socket.destroy());
    const failure = await failureOf(call(local.client(), localTarget(upstream.url)).response);
    expect(failure.kind).toBe('unreachable');
    expect(failure.message).toBe('upstream closed the connection');
  });

  it.each([
    ['closes', (socket: Socket) => socket.destroy()],
    ['resets (TCP RST)', (socket: Socket) => socket.resetAndDestroy()],
  ])(
    'the server %s the connection in the middle of the body: unreachable, the connection was closed',
    async (_, cut) => {
      const upstream = await local.upstream(({ res }) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: first\n\n');
      });
      const pending = call(local.client(), localTarget(upstream.url));
      const chunks = (await pending.response).body[Symbol.asyncIterator]();
      expect(String((await chunks.next()).value)).toBe('data: first\n\n');

      cut((await upstream.request(0)).req.socket);
      const failure = pending.classify(await errorReading(chunks));
      expect(failure.kind).toBe('unreachable');
      expect(failure.message).toBe('upstream closed the connection');
    },
  );

  it.each([
    [
      'headers past 16 KiB',
      (socket: Socket) => socket.end(`HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(20_000)}\r\ncontent-length: 2\r\n\r\n{}`),
      "the upstream's answer headers are larger than the 16 KiB taken",
    ],
    [
      'a status line that is not HTTP',
      (socket: Socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n'),
      "the upstream's answer is not valid HTTP/1.1: Response does not match the HTTP/1.1 protocol (Expected HTTP/, RTSP/ or ICE/)",
    ],
    [
      'a 100 Continue nobody asked for',
      (socket: Socket) => socket.write('HTTP/1.1 100 Continue\r\n\r\n'),
      'the upstream answered out of turn (a 100 Continue or an upgrade it was not asked for)',
    ],
    [
      'a body shorter than its Content-Length',
      (socket: Socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 10\r\nconnection: close\r\n\r\n{}'),
      "the upstream's answer does not match its Content-Length",
    ],
  ])('an answer with %s: the upstream’s invalid response, not unreachable', async (_, answer, message) => {
    const upstream = await local.upstream(({ req }) => answer(req.socket));
    const pending = local
      .client()
      .call({ target: localTarget(upstream.url), path: '/x', headers: {}, body: '{}', whole: true });
    const failure = await failureOf(pending.response);
    expect({ kind: failure.kind, message: failure.message }).toEqual({ kind: 'invalid_response', message });
  });

  (dnsAnswers ? it : it.skip)(
    'a host name that does not resolve: unreachable',
    async () => {
      // connectMs (which covers the lookup) above the bound above: the resolver's answer comes first.
      const target = localTarget(`http://${UNRESOLVABLE}/v1`, { connectMs: DNS_ANSWER_BOUND_MS * 2 });
      const failure = await failureOf(call(local.client(), target).response);
      expect(failure.kind).toBe('unreachable');
      expect(failure.message).toBe('upstream is unreachable');
    },
    DNS_ANSWER_BOUND_MS * 3,
  );
});
