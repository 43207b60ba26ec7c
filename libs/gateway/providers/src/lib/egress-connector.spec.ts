import { EgressPolicy } from '@synapse/gateway/config';
import { startMockUpstream, type MockUpstream } from '@synapse/testing';
import type { LookupAddress } from 'node:dns';
import { EgressRefusedError, egressLookup, type ResolveAll } from './egress-connector';
import { UpstreamClient } from './upstream-client';
import { UpstreamFailure } from './upstream-failure';
import type { UpstreamTarget } from './upstream-target';

function target(baseUrl: string): UpstreamTarget {
  return {
    channelId: `ch-${baseUrl}`,
    channelName: 'local',
    type: 'openai',
    baseUrl,
    apiKey: null,
    headers: {},
    secrets: [],
    timeouts: { connectMs: 5_000, firstByteMs: 5_000, totalMs: 10_000 },
  };
}

/** A resolver that answers every name with these addresses, as DNS (or a rebinding attacker) might. */
function resolvingTo(...addresses: string[]): ResolveAll {
  return (_hostname, _options, callback) =>
    callback(
      null,
      addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
}

function lookupOnce(
  lookup: ReturnType<typeof egressLookup>,
  all: boolean,
): Promise<{ error: Error | null; address: unknown; family?: number }> {
  return new Promise((resolve) =>
    lookup('upstream.example', { all }, (error, address, family) => resolve({ error, address, family })),
  );
}

describe(egressLookup.name, () => {
  const policy = new EgressPolicy([]);

  it('keeps only the addresses the policy allows', async () => {
    const lookup = egressLookup(policy, resolvingTo('169.254.169.254', '203.0.113.9', '10.0.0.1'));
    expect(await lookupOnce(lookup, true)).toEqual({
      error: null,
      address: [{ address: '203.0.113.9', family: 4 }],
      family: undefined,
    });
    expect(await lookupOnce(lookup, false)).toEqual({ error: null, address: '203.0.113.9', family: 4 });
  });

  it('refuses a name whose every address is refused, naming them', async () => {
    const lookup = egressLookup(policy, resolvingTo('::ffff:169.254.169.254', '127.0.0.1'));
    const { error } = await lookupOnce(lookup, false);
    expect(error).toBeInstanceOf(EgressRefusedError);
    expect(error?.message).toBe(
      'upstream address refused by the egress policy: upstream.example resolves to ::ffff:169.254.169.254 is a cloud metadata address; 127.0.0.1 is a private or loopback address outside UPSTREAM_ALLOWED_PRIVATE_CIDRS',
    );
  });

  it('refuses metadata host names before asking DNS', async () => {
    const lookup = egressLookup(policy, () => {
      throw new Error('DNS must not be asked');
    });
    const refused = await new Promise<Error | null>((resolve) =>
      lookup('metadata.google.internal', { all: true }, (error) => resolve(error)),
    );
    expect(refused?.message).toContain('metadata.google.internal is a cloud metadata host name');
  });
});

describe(`${UpstreamClient.name} with an egress policy`, () => {
  let upstream: MockUpstream;

  beforeAll(async () => {
    upstream = await startMockUpstream();
  });

  afterAll(async () => {
    await upstream.close();
  });

  async function failureOf(promise: Promise<unknown>): Promise<UpstreamFailure> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof UpstreamFailure)) throw new Error(`expected an UpstreamFailure, got ${String(error)}`);
    return error;
  }

  it.each([
    ['an IP literal', (port: number) => `http://127.0.0.1:${port}/v1`, '127.0.0.1 is a private or loopback address'],
    ['a host name, after DNS', (port: number) => `http://localhost:${port}/v1`, 'localhost resolves to'],
  ])(
    'refuses to connect to %s outside the allow-list, for calls and probes, sending nothing',
    async (_, url, reason) => {
      const client = new UpstreamClient({ connections: 2, egress: new EgressPolicy([]) });
      try {
        const before = upstream.requests.length;
        const channel = target(url(upstream.port));
        const call = client.call({ target: channel, path: '/chat/completions', headers: {}, body: '{}' });
        const failure = await failureOf(call.response);
        expect(failure.kind).toBe('refused');
        expect(failure.message).toContain(reason);
        const probe = await failureOf(client.probe(channel, '/models', {}, 5_000));
        expect(probe.kind).toBe('refused');
        expect(upstream.requests.length).toBe(before);
      } finally {
        await client.close();
      }
    },
  );

  it('connects to a private address inside the allow-list', async () => {
    const client = new UpstreamClient({ connections: 2, egress: new EgressPolicy(['127.0.0.0/8']) });
    try {
      const answer = await client.probe(target(`http://localhost:${upstream.port}/v1`), '/models', {}, 5_000);
      expect(answer.status).toBe(200);
    } finally {
      await client.close();
    }
  });
});
