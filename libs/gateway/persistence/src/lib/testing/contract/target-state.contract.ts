import { randomUUID } from 'node:crypto';
import type { TargetEventRepository, TargetOverrideRepository } from '../../repositories';
import type { ContractStore } from './contract-harness';

export function targetStateContract(
  store: ContractStore<{ targetEvents: TargetEventRepository; targetOverrides: TargetOverrideRepository }>,
): void {
  it('records target events and reads the newest first', async () => {
    const repo = store.repos.targetEvents;
    for (let i = 0; i < 5; i++) {
      await repo.insert({
        id: randomUUID(),
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
        targetId: `c1/m${i}`,
        channelId: 'c1',
        fromState: 'healthy',
        toState: 'cooling_down',
        cause: 'failures',
      });
    }
    const recent = await repo.recent(2);
    expect(recent.map((e) => e.targetId)).toEqual(['c1/m4', 'c1/m3']);
    expect(recent[0].at.toISOString()).toBe('2026-01-01T00:00:04.000Z');
  });

  it('keeps one override per target, updated in place', async () => {
    const repo = store.repos.targetOverrides;
    await repo.save({ targetId: 'c1/m', disabled: true, updatedAt: new Date() });
    await repo.save({ targetId: 'c1/m', disabled: false, updatedAt: new Date() });
    await repo.save({ targetId: 'c2/m', disabled: true, updatedAt: new Date() });
    const all = await repo.findAll();
    expect(all.map((o) => [o.targetId, o.disabled]).sort()).toEqual([
      ['c1/m', false],
      ['c2/m', true],
    ]);
  });
}
