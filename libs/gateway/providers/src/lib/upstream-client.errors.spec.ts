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
