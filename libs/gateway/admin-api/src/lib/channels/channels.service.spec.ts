import { deriveMasterKey, SecretBox } from '@synapse/crypto';
import { EgressPolicy } from '@synapse/gateway/config';
import type { GraphQLError } from 'graphql';
import { InMemoryChannelRepository, InMemoryRouteRepository } from '@synapse/gateway/persistence/testing';
import { resolveEveryNameTo } from '../testing/admin-api-test-app';
import { FakeRoutingAdmin } from '../testing/fake-routing-admin';
import { ChannelsService } from './channels.service';

const input = {
  name: 'openai-main',
  baseUrl: 'http://upstream.test/v1',
  models: ['m'],
  apiKey: 'sk-upstream-0000-9f9f',
};

describe(ChannelsService.name, () => {
  let channels: InMemoryChannelRepository;
  let bus: FakeRoutingAdmin;
  let service: ChannelsService;

  beforeEach(() => {
    channels = new InMemoryChannelRepository();
    bus = new FakeRoutingAdmin();
    service = new ChannelsService(
      channels,
      new InMemoryRouteRepository(),
      new SecretBox(deriveMasterKey('channels-service-spec-secret-0123456789')),
      bus,
      new EgressPolicy(),
      resolveEveryNameTo('203.0.113.10'),
    );
  });

  it('lets only one of two concurrent creates with the same name through', async () => {
    const results = await Promise.allSettled([service.create(input), service.create(input)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect((refused?.reason as GraphQLError).extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(channels.channels.size).toBe(1);
    expect(bus.published).toEqual(['catalog']);
  });

  it('announces nothing when the store fails', async () => {
    channels.failSave = new Error('database is gone');
    await expect(service.create(input)).rejects.toThrow('database is gone');
    expect(bus.published).toEqual([]);
  });

  it('shows a key stored without a hint (before the first start with hints) as set', async () => {
    const created = await service.create(input);
    const stored = await channels.findById(created.id);
    await channels.save({ ...(stored as NonNullable<typeof stored>), apiKeyHint: null });
    expect((await service.get(created.id)).apiKeyHint).toBe('…');
  });

  const codeOf = (error: unknown) => (error as GraphQLError).extensions?.['code'];

  it.each([
    ['the scheme', 'http://upstream.test/v1'],
    ['the port', 'https://upstream.test:8443/v1'],
    ['the host', 'https://other.test/v1'],
  ])('asks for the key and headers again when %s changes, and keeps the stored ones', async (_, baseUrl) => {
    const created = await service.create({
      ...input,
      baseUrl: 'https://upstream.test/v1',
      headers: [{ name: 'api-key', value: 'hdr-secret-value-123' }],
    });
    const before = await channels.findById(created.id);
    const refused = await service.update(created.id, { baseUrl }).catch((e: unknown) => e);
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect((refused as Error).message).toContain('apiKey and headers: the channel moves to another origin');
    expect(await channels.findById(created.id)).toEqual(before);

    const moved = await service.update(created.id, { baseUrl, apiKey: 'sk-new-key-0000-1a1a', headers: [] });
    expect(moved).toMatchObject({ baseUrl, apiKeyHint: '…1a1a', headerNames: [] });
  });

  it('keeps the secrets on a move within the same origin (another path, the default port written out)', async () => {
    const created = await service.create({ ...input, baseUrl: 'https://upstream.test/v1' });
    await service.update(created.id, { baseUrl: 'https://upstream.test:443/v2' });
    expect((await service.get(created.id)).apiKeyHint).toBe('…9f9f');
  });

  it('refuses a host name that resolves only to a refused address', async () => {
    const rebound = new ChannelsService(
      channels,
      new InMemoryRouteRepository(),
      new SecretBox(deriveMasterKey('channels-service-spec-secret-0123456789')),
      bus,
      new EgressPolicy(),
      resolveEveryNameTo('169.254.169.254'),
    );
    const refused = await rebound.create({ ...input, baseUrl: 'http://innocent.example/v1' }).catch((e: unknown) => e);
    expect((refused as Error).message).toContain('innocent.example resolves to 169.254.169.254');
    expect(await channels.findAll()).toEqual([]);
  });

  it('refuses a channel at a metadata or link-local address, and a move there, storing nothing', async () => {
    const refused = await service.create({ ...input, baseUrl: 'http://169.254.169.254/v1' }).catch((e: unknown) => e);
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect((refused as Error).message).toContain('169.254.169.254 is a cloud metadata address');
    expect(channels.channels.size).toBe(0);

    const created = await service.create(input);
    const move = service.update(created.id, { baseUrl: 'http://[fe80::1]/v1', apiKey: null });
    await expect(move).rejects.toThrow('fe80::1 is a link-local address');
    expect((await service.get(created.id)).baseUrl).toBe(input.baseUrl);
  });
});
