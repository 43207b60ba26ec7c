import type { AlertRule } from '@synapse/gateway/persistence';
import type { RoutingAdmin, TargetStatusView } from '@synapse/gateway/proxy';
import { ChannelHealthSignal } from './channel-health-signal';

const T0 = new Date('2030-01-01T00:00:00.000Z');

function target(overrides: Partial<TargetStatusView>): TargetStatusView {
  return {
    id: 'c1/gpt-4o',
    channelId: 'c1',
    channelName: 'openai',
    model: 'gpt-4o',
    routes: ['gpt-4o'],
    state: 'healthy',
    inFlight: 0,
    latencyMs: null,
    recentFailures: 0,
    cooldownUntil: null,
    lastCheck: null,
    ...overrides,
  };
}

/** RoutingAdmin as the proxy's routing service answers it: only `targets` is read. */
function routingWith(targets: TargetStatusView[]): RoutingAdmin {
  return {
    targets: () => targets,
    events: async () => [],
    setTargetDisabled: async () => targets[0],
    catalogChanged: async () => undefined,
  };
}

const rule = (scope: AlertRule['scope']): AlertRule => ({
  id: 'r',
  name: 'health',
  description: null,
  enabled: true,
  kind: 'channel_health',
  scope,
  windowSeconds: 60,
  threshold: null,
  percentile: null,
  budgetPeriod: null,
  minRequests: 1,
  forSeconds: 0,
  repeatIntervalSeconds: 0,
  notificationChannelIds: [],
  createdAt: T0,
  updatedAt: T0,
});

describe(ChannelHealthSignal.name, () => {
  const signal = new ChannelHealthSignal(
    routingWith([
      target({ state: 'cooling_down' }),
      target({
        id: 'c2/gpt-4o',
        channelId: 'c2',
        channelName: 'azure',
        lastCheck: { at: T0, ok: false, latencyMs: null, error: 'status_503', detail: 'the upstream failed (503)' },
      }),
      target({ id: 'c3/gpt-4o-mini', channelId: 'c3', channelName: 'local', model: 'gpt-4o-mini', routes: ['mini'] }),
      target({ id: 'c4/gpt-4o', channelId: 'c4', channelName: 'spare', state: 'disabled' }),
    ]),
  );

  it('finds open circuits and failing health checks, leaving out targets disabled by hand', async () => {
    expect(await signal.evaluate(rule({ kind: 'all', value: null }))).toEqual({
      breached: true,
      value: 2,
      summary:
        '2 of 3 targets unhealthy: openai/gpt-4o (circuit open), azure/gpt-4o (health check failing (status_503: the upstream failed (503)))',
    });
  });

  it('narrows to a channel, a model or a route', async () => {
    expect(await signal.evaluate(rule({ kind: 'channel', value: 'c2' }))).toMatchObject({ breached: true, value: 1 });
    expect(await signal.evaluate(rule({ kind: 'route', value: 'mini' }))).toMatchObject({ breached: false, value: 0 });
    expect(await signal.evaluate(rule({ kind: 'model', value: 'gpt-4o' }))).toMatchObject({ breached: true, value: 2 });
    expect(await signal.evaluate(rule({ kind: 'channel', value: 'c4' }))).toMatchObject({
      breached: false,
      value: null,
    });
  });
});
