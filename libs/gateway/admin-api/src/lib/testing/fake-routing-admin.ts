import {
  ChannelTester,
  RoutingAdmin,
  type ChannelCheckView,
  type TargetEventView,
  type TargetStatusView,
} from '@synapse/gateway/proxy';

export function fakeTarget(overrides: Partial<TargetStatusView> = {}): TargetStatusView {
  return {
    id: 'ch-1/gpt-4o-mini',
    channelId: 'ch-1',
    channelName: 'openai-main',
    model: 'gpt-4o-mini',
    routes: ['gpt-4o-mini'],
    state: 'healthy',
    inFlight: 0,
    latencyMs: 120.5,
    recentFailures: 0,
    cooldownUntil: null,
    lastCheck: { at: new Date('2030-01-01T00:00:00Z'), ok: true, latencyMs: 98, error: null, detail: null },
    ...overrides,
  };
}

/** An in-memory RoutingAdmin for tests; it records what it was asked. */
export class FakeRoutingAdmin extends RoutingAdmin {
  /** The "test connection" of the channels this replica would serve (all, unless told otherwise). */
  readonly tester = new FakeChannelTester();
  readonly eventLimits: number[] = [];
  /** One entry per catalogChanged() call. */
  readonly published: 'catalog'[] = [];
  private readonly listeners: (() => void)[] = [];
  failWith: Error | undefined;

  constructor(
    public targetList: TargetStatusView[] = [fakeTarget()],
    public eventList: TargetEventView[] = [],
  ) {
    super();
  }

  targets(): TargetStatusView[] {
    if (this.failWith) throw this.failWith;
    return this.targetList;
  }

  async events(limit: number): Promise<TargetEventView[]> {
    this.eventLimits.push(limit);
    return this.eventList.slice(0, limit);
  }

  async setTargetDisabled(targetId: string, disabled: boolean): Promise<TargetStatusView> {
    const index = this.targetList.findIndex((t) => t.id === targetId);
    if (index < 0) throw new Error(`unknown target ${targetId}`);
    const updated = { ...this.targetList[index], state: disabled ? ('disabled' as const) : ('healthy' as const) };
    this.targetList[index] = updated;
    return updated;
  }

  /** Hears catalogChanged() as a replica would hear the invalidation. */
  subscribe(_topic: 'catalog', listener: () => void): void {
    this.listeners.push(listener);
  }

  async catalogChanged(): Promise<void> {
    this.published.push('catalog');
    for (const listener of this.listeners) listener();
  }
}

/** Answers every channel test with `check`; `unserved` names the channels no replica serves yet. */
export class FakeChannelTester extends ChannelTester {
  check: ChannelCheckView = {
    at: new Date('2030-01-01T00:00:00Z'),
    ok: true,
    latencyMs: 42,
    error: null,
    detail: null,
  };
  readonly unserved = new Set<string>();
  readonly tested: string[] = [];

  async test(channelId: string): Promise<ChannelCheckView | null> {
    this.tested.push(channelId);
    return this.unserved.has(channelId) ? null : this.check;
  }
}
