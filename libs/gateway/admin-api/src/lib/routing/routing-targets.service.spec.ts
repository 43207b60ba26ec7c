import type { GraphQLError } from 'graphql';
import { FakeRoutingAdmin, fakeTarget } from '../testing/fake-routing-admin';
import { RoutingTargetsService } from './routing-targets.service';

describe(RoutingTargetsService.name, () => {
  it('disables and re-enables a known target through RoutingAdmin', async () => {
    const routing = new FakeRoutingAdmin([fakeTarget({ id: 'ch-1/a' }), fakeTarget({ id: 'ch-1/b' })]);
    const service = new RoutingTargetsService(routing);
    expect(await service.setDisabled('ch-1/b', true)).toMatchObject({ id: 'ch-1/b', state: 'disabled' });
    expect(service.targets().map((t) => t.state)).toEqual(['healthy', 'disabled']);
    expect(await service.setDisabled('ch-1/b', false)).toMatchObject({ state: 'healthy' });
  });

  it('answers NOT_FOUND for an unknown target id', async () => {
    const service = new RoutingTargetsService(new FakeRoutingAdmin());
    const error = (await service.setDisabled('nope/none', true).catch((e: unknown) => e)) as GraphQLError;
    expect(error.extensions['code']).toBe('NOT_FOUND');
    expect(error.message).toBe("No routing target has the id 'nope/none'.");
  });

  it('passes the event limit on', async () => {
    const routing = new FakeRoutingAdmin();
    await new RoutingTargetsService(routing).events(7);
    expect(routing.eventLimits).toEqual([7]);
  });
});
