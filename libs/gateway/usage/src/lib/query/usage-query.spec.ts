import { defineAbilityFor, type RoleDefinition } from '@synapse/rbac';
import { checkSeriesRange, coverRange, planUsageQuery, type UsageReader } from './usage-query';
import { UsageQueryError } from './usage-query-error';
import { usageReaderOf } from './usage-reader';

const range = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-02T00:00:00Z') };
const ALL: UsageReader = { scope: 'all' };
const ME: UsageReader = { scope: 'user', userId: 'u1' };

function refusal(work: () => unknown): [string, string] | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof UsageQueryError) return [error.code, error.message];
    throw error;
  }
  return undefined;
}

describe(planUsageQuery.name, () => {
  it('reads everything, one dimension, or one value of a dimension, by model or not', () => {
    expect(planUsageQuery(ALL, {}, 'none', 'hour', range)).toMatchObject({
      dimension: 'all',
      dimensionValue: '',
      groupBy: 'none',
    });
    expect(planUsageQuery(ALL, { model: 'gpt-4o' }, 'model', 'hour', range)).toMatchObject({
      dimension: 'all',
      model: 'gpt-4o',
      groupBy: 'model',
    });
    expect(planUsageQuery(ALL, {}, 'team', 'day', range)).toMatchObject({ dimension: 'team', groupBy: 'value' });
    expect(planUsageQuery(ALL, {}, 'team', 'day', range).dimensionValue).toBeUndefined();
    expect(planUsageQuery(ALL, { keyId: 'k1' }, 'model', 'minute', range)).toMatchObject({
      dimension: 'key',
      dimensionValue: 'k1',
      groupBy: 'model',
    });
    expect(planUsageQuery(ALL, { channelId: 'c1' }, 'channel', 'minute', range)).toMatchObject({ groupBy: 'value' });
  });

  it('refuses what one dimension per row cannot answer', () => {
    expect(refusal(() => planUsageQuery(ALL, { keyId: 'k', userId: 'u' }, 'none', 'hour', range))?.[0]).toBe(
      'BAD_USER_INPUT',
    );
    expect(refusal(() => planUsageQuery(ALL, { keyId: 'k' }, 'user', 'hour', range))).toEqual([
      'BAD_USER_INPUT',
      expect.stringContaining('groupBy USER cannot be combined with filter keyId'),
    ]);
  });

  it("narrows a member to their own user's rows and refuses the rest", () => {
    expect(planUsageQuery(ME, {}, 'none', 'hour', range)).toMatchObject({ dimension: 'user', dimensionValue: 'u1' });
    expect(planUsageQuery(ME, { userId: 'u1' }, 'user', 'hour', range)).toMatchObject({ groupBy: 'value' });
    expect(planUsageQuery(ME, { model: 'm' }, 'model', 'hour', range)).toMatchObject({ model: 'm', groupBy: 'model' });
    expect(refusal(() => planUsageQuery(ME, { userId: 'u2' }, 'none', 'hour', range))?.[0]).toBe('FORBIDDEN');
    expect(refusal(() => planUsageQuery(ME, { teamId: 't' }, 'none', 'hour', range))?.[0]).toBe('FORBIDDEN');
    for (const groupBy of ['key', 'team', 'channel'] as const)
      expect(refusal(() => planUsageQuery(ME, {}, groupBy, 'hour', range))?.[0]).toBe('FORBIDDEN');
  });
});

describe(checkSeriesRange.name, () => {
  it('refuses a backwards range and more than 1500 buckets, and allows exactly 1500', () => {
    expect(refusal(() => checkSeriesRange({ from: range.to, to: range.from }, 'hour'))?.[1]).toContain(
      'must be before',
    );
    expect(refusal(() => checkSeriesRange({ from: range.from, to: range.from }, 'hour'))?.[0]).toBe('BAD_USER_INPUT');
    const minutes = (n: number) => ({ from: range.from, to: new Date(range.from.getTime() + n * 60_000) });
    expect(refusal(() => checkSeriesRange(minutes(1500), 'minute'))).toBeUndefined();
    expect(refusal(() => checkSeriesRange(minutes(1501), 'minute'))?.[1]).toContain(
      '1501 minute buckets is more than 1500',
    );
    expect(refusal(() => checkSeriesRange({ from: new Date('x'), to: range.to }, 'day'))?.[0]).toBe('BAD_USER_INPUT');
  });
});

describe(coverRange.name, () => {
  it('covers a range with whole days, then hours, then minutes at the edges, without gaps or overlaps', () => {
    const from = Date.parse('2026-01-01T22:30:20Z');
    const to = Date.parse('2026-01-04T01:15:00Z');
    const segments = coverRange(from, to).map((s) => [
      s.granularity,
      new Date(s.from).toISOString(),
      new Date(s.to).toISOString(),
    ]);
    expect(segments).toEqual([
      ['minute', '2026-01-01T22:30:00.000Z', '2026-01-01T23:00:00.000Z'],
      ['hour', '2026-01-01T23:00:00.000Z', '2026-01-02T00:00:00.000Z'],
      ['day', '2026-01-02T00:00:00.000Z', '2026-01-04T00:00:00.000Z'],
      ['hour', '2026-01-04T00:00:00.000Z', '2026-01-04T01:00:00.000Z'],
      ['minute', '2026-01-04T01:00:00.000Z', '2026-01-04T01:15:00.000Z'],
    ]);
    expect(coverRange(from, from + 10_000)).toEqual([
      { granularity: 'minute', from: from - 20_000, to: from + 10_000 },
    ]);
  });
});

describe(usageReaderOf.name, () => {
  it('lets staff read everything and members their own traffic', () => {
    for (const role of ['owner', 'admin', 'operator', 'auditor'])
      expect(usageReaderOf(defineAbilityFor({ id: 'x', role }), 'x')).toEqual({ scope: 'all' });
    expect(usageReaderOf(defineAbilityFor({ id: 'u1', role: 'member' }), 'u1')).toEqual(ME);
  });

  it('refuses a custom role whose usage rule cannot be narrowed to one user', () => {
    const teamLead: RoleDefinition = {
      name: 'team-lead',
      description: '',
      rules: [{ action: 'read', subject: 'Usage', conditions: { teamId: { $in: '${user.teamIds}' } } }],
    };
    const ability = defineAbilityFor({ id: 'u1', role: 'team-lead', teamIds: ['t1'] }, [teamLead]);
    expect(refusal(() => usageReaderOf(ability, 'u1'))?.[0]).toBe('FORBIDDEN');
  });
});
