import { RouteConfigError } from './route-config-error';
import type { RouteDefinition } from './route-definition';
import { RouteTable } from './route-table';

const to = (channelId: string, model = 'm') => ({ channelId, model });
const route = (name: string, extra: Partial<RouteDefinition> = {}): RouteDefinition => ({
  name,
  targets: [to(`ch-${name}`)],
  ...extra,
});

describe(RouteTable.name, () => {
  describe('resolve', () => {
    const table = RouteTable.compile(
      [
        route('gpt-4o', { aliases: ['smart'] }),
        route('gpt-*'),
        route('gpt-4o*'),
        route('gpt-4o*-*'),
        route('*'),
        route('fa*'),
      ],
      { implicit: [route('gpt-3.5'), route('gpt-4o'), route('local-llama'), route('local-*')] },
    );
    const resolved = (model: string) => table.resolve(model)?.name;

    it('takes exact names and aliases before any pattern', () => {
      expect(resolved('gpt-4o')).toBe('gpt-4o');
      expect(resolved('smart')).toBe('gpt-4o');
    });

    it('takes the most specific pattern: longest literal prefix, then fewest wildcards', () => {
      expect(resolved('gpt-4o-mini')).toBe('gpt-4o*');
      expect(resolved('gpt-4')).toBe('gpt-*');
      expect(resolved('fast')).toBe('fa*');
      expect(resolved('mistral')).toBe('*');
    });

    it('lets configured routes win over implicit ones, which only fill gaps', () => {
      expect(table.resolve('gpt-4o')?.implicit).toBe(false);
      expect(resolved('gpt-3.5')).toBe('gpt-*'); // a configured pattern claims it
      const narrow = RouteTable.compile([route('gpt-*')], { implicit: [route('llama'), route('gpt-x')] });
      expect(narrow.resolve('llama')?.implicit).toBe(true);
      expect(narrow.resolve('gpt-x')?.implicit).toBe(false);
      expect(narrow.resolve('other')).toBeUndefined();
    });

    it('answers repeated and unknown names the same from its cache', () => {
      const small = RouteTable.compile([route('a*')]);
      expect(small.resolve('abc')?.name).toBe('a*');
      expect(small.resolve('abc')?.name).toBe('a*');
      expect(small.resolve('zzz')).toBeUndefined();
      expect(small.resolve('zzz')).toBeUndefined();
    });
  });

  it('lists exact names and aliases of both kinds, sorted, without patterns', () => {
    const table = RouteTable.compile([route('b', { aliases: ['fast'] }), route('x-*')], {
      implicit: [route('a'), route('b')],
    });
    expect(table.publicModels()).toEqual(['a', 'b', 'fast']);
  });

  it('finds routes by name for fallbacks and lists every target id', () => {
    const table = RouteTable.compile([route('a', { fallbacks: ['b'], aliases: ['alias'] }), route('b')]);
    expect(table.get('a')?.fallbacks.map((r) => r.name)).toEqual(['b']);
    expect(table.get('alias')).toBeUndefined();
    expect(table.targetIds()).toEqual(new Set(['ch-a/m', 'ch-b/m']));
    expect(table.routes().map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('compiles targets with ids and defaults (weight 1, priority 0, round-robin, 3 attempts)', () => {
    const table = RouteTable.compile([{ name: 'r', targets: [{ channelId: 'c1', model: 'gpt-4o', rpm: 60 }] }]);
    const compiled = table.get('r');
    expect(compiled?.targets).toEqual([
      { id: 'c1/gpt-4o', channelId: 'c1', model: 'gpt-4o', weight: 1, priority: 0, rpm: 60, tpm: undefined },
    ]);
    expect(compiled?.strategy.name).toBe('round-robin');
    expect(compiled?.retry.attempts).toBe(3);
  });

  it('walks fallbacks depth-first without repeats', () => {
    const table = RouteTable.compile([
      route('a', { fallbacks: ['b', 'c'] }),
      route('b', { fallbacks: ['d', 'c'] }),
      route('c', { fallbacks: ['d'] }),
      route('d'),
    ]);
    expect(table.get('a')?.chain.map((r) => r.name)).toEqual(['a', 'b', 'd', 'c']);
  });

  describe('validation', () => {
    const failure = (routes: RouteDefinition[], implicit: RouteDefinition[] = []): string => {
      try {
        RouteTable.compile(routes, { implicit });
      } catch (error) {
        expect(error).toBeInstanceOf(RouteConfigError);
        return (error as RouteConfigError).message;
      }
      throw new Error('compiled without complaint');
    };

    it('rejects unknown fallbacks and fallback cycles, naming the route', () => {
      expect(failure([route('fast', { fallbacks: ['nope'] })])).toBe("routes[fast].fallbacks: unknown route 'nope'");
      expect(failure([route('a', { fallbacks: ['a'] })])).toBe('routes[a].fallbacks: fallback cycle a -> a');
      expect(
        failure([route('a', { fallbacks: ['b'] }), route('b', { fallbacks: ['c'] }), route('c', { fallbacks: ['a'] })]),
      ).toBe('routes[c].fallbacks: fallback cycle a -> b -> c -> a');
    });

    it('rejects duplicate names and aliases', () => {
      expect(failure([route('a'), route('a')])).toBe('routes[a]: duplicate route name');
      expect(failure([route('a'), route('b', { aliases: ['a'] })])).toBe(
        "routes[b].aliases: 'a' is already a name or alias of route 'a'",
      );
      expect(failure([route('a', { aliases: ['x'] }), route('b', { aliases: ['x'] })])).toMatch(/routes\[b\]\.aliases/);
      expect(failure([], [route('i'), route('i')])).toBe('implicit[i]: duplicate route name');
    });

    it('rejects empty targets, non-positive weights and other bad values', () => {
      expect(failure([route('a', { targets: [] })])).toBe('routes[a].targets: must list at least one target');
      expect(failure([route('a', { targets: [{ channelId: 'c', model: 'm', weight: 0 }] })])).toBe(
        'routes[a].targets[0].weight: must be a positive number, got 0',
      );
      expect(failure([route('a', { targets: [{ channelId: 'c', model: 'm', weight: -1 }] })])).toMatch(/weight/);
      expect(failure([route('a', { targets: [to('c'), to('c')] })])).toBe(
        "routes[a].targets[1]: duplicate target 'c/m'",
      );
      expect(failure([route('a', { targets: [{ channelId: '', model: 'm' }] })])).toMatch(/targets\[0\]\.channelId/);
      expect(failure([route('a', { targets: [{ channelId: 'c', model: 'm', rpm: 0 }] })])).toMatch(/rpm/);
      expect(failure([route('a', { aliases: ['x*'] })])).toMatch(/routes\[a\]\.aliases\[0\]/);
      expect(failure([route('a', { retry: { attempts: 0 } })])).toMatch(/routes\[a\]\.retry\.attempts/);
      expect(failure([route('a', { retry: { attempts: 2.5 } })])).toMatch(/retry\.attempts/);
      expect(failure([{ name: '', targets: [to('c')] }])).toBe('routes[#0]: name must be a non-empty string');
    });

    it('rejects values the types forbid but YAML can still carry', () => {
      const loose = JSON.parse('{"name":"a","strategy":"fastest","targets":[{"channelId":"c","model":"m"}]}');
      expect(failure([loose])).toBe("routes[a].strategy: unknown strategy 'fastest'");
      const badReason = JSON.parse(
        '{"name":"a","retry":{"retryOn":["4xx"]},"targets":[{"channelId":"c","model":"m"}]}',
      );
      expect(failure([badReason])).toMatch(/routes\[a\]\.retry\.retryOn: unknown reason '4xx'/);
      const aliasString = JSON.parse('{"name":"a","aliases":"fast","targets":[{"channelId":"c","model":"m"}]}');
      expect(failure([aliasString])).toBe('routes[a].aliases: must be a list');
      expect(failure([JSON.parse('{"name":"a","targets":[null]}')])).toBe('routes[a].targets[0]: must be an object');
      const stringWeight = JSON.parse('{"name":"a","targets":[{"channelId":"c","model":"m","weight":"2"}]}');
      expect(failure([stringWeight])).toMatch(/weight: must be a positive number, got "2"/);
    });
  });
});
