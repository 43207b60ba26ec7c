import { deriveMasterKey, SecretBox } from '@synapse/crypto';
import type { GraphQLError } from 'graphql';
import { InMemoryChannelRepository, InMemoryRouteRepository } from '@synapse/gateway/persistence/testing';
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
});
