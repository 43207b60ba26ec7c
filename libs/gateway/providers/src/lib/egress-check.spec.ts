import { EgressPolicy } from '@synapse/gateway/config';
import type { LookupAddress } from 'node:dns';
import { refusalOfBaseUrl, refusalThroughProxy } from './egress-check';
import type { ResolveAll } from './egress-connector';

const resolvingTo =
  (...addresses: string[]): ResolveAll =>
  (_hostname, _options, callback) =>
    callback(
      null,
      addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })),
    );

const notFound: ResolveAll = (hostname, _options, callback) =>
  callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);

describe(refusalOfBaseUrl.name, () => {
  const policy = new EgressPolicy();

  it('refuses IP literals and metadata names without asking DNS', async () => {
    const noDns: ResolveAll = () => {
      throw new Error('DNS must not be asked');
    };
    expect(await refusalOfBaseUrl(policy, 'http://169.254.169.254/v1', noDns)).toBe(
      '169.254.169.254 is a cloud metadata address',
    );
    expect(await refusalOfBaseUrl(policy, 'http://metadata.google.internal/v1', noDns)).toContain('metadata host name');
    expect(await refusalOfBaseUrl(policy, 'http://127.0.0.1:8000/v1', noDns)).toBeNull();
  });

  it('refuses a host name when none of its addresses may be dialled', async () => {
    expect(await refusalOfBaseUrl(policy, 'http://evil.example/v1', resolvingTo('169.254.169.254'))).toBe(
      'evil.example resolves to 169.254.169.254 is a cloud metadata address',
    );
    expect(
      await refusalOfBaseUrl(policy, 'http://mixed.example/v1', resolvingTo('169.254.169.254', '203.0.113.1')),
    ).toBeNull();
  });

  it('leaves a name that does not resolve now to the check at connect time', async () => {
    expect(await refusalOfBaseUrl(policy, 'http://later.example/v1', notFound)).toBeNull();
  });
});

describe(refusalThroughProxy.name, () => {
  const policy = new EgressPolicy();
  const verdict = (hostname: string, resolve: ResolveAll) =>
    new Promise<Error | null>((done) => refusalThroughProxy(policy, hostname, resolve, done));
  const noDns: ResolveAll = () => {
    throw new Error('DNS must not be asked');
  };

  it('refuses IP literals (bracketed IPv6 too) and metadata names without asking DNS', async () => {
    expect((await verdict('169.254.169.254', noDns))?.message).toContain('cloud metadata address');
    expect((await verdict('[fd00:ec2::254]', noDns))?.message).toContain('upstream address refused');
    expect((await verdict('metadata.google.internal', noDns))?.message).toContain('metadata host name');
    expect(await verdict('203.0.113.7', noDns)).toBeNull();
  });

  it('refuses a name when any of its addresses is refused: the proxy may dial any of them', async () => {
    const refusal = await verdict('mixed.example', resolvingTo('203.0.113.1', '169.254.169.254'));
    expect(refusal?.message).toBe(
      'upstream address refused by the egress policy: mixed.example resolves to 169.254.169.254 is a cloud metadata address',
    );
    expect(await verdict('api.example', resolvingTo('203.0.113.1'))).toBeNull();
  });

  it("leaves a name this host cannot resolve to the proxy's network", async () => {
    expect(await verdict('internal.corp', notFound)).toBeNull();
  });
});
