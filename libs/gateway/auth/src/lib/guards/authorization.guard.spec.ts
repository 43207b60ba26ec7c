import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ROLES, type RoleName } from '@synapse/gateway/config';
import { Action, BUILT_IN_ROLES, defineAbilityFor, type AppAbility, type RoleDefinition } from '@synapse/rbac';
import type { GraphQLError } from 'graphql';
import type { AuthenticatedUser } from '../jwt/access-token';
import { AbilityFactory, type AuthorizedRequest } from './ability.factory';
import { AuthorizationGuard } from './authorization.guard';
import { Authorize } from './authorize.decorator';
import { CurrentAbility } from './current-ability.decorator';

class ExampleResolver {
  @Authorize(Action.Read, 'RoutingTarget')
  readTargets(): void {
    // read
  }

  @Authorize(Action.Update, 'RoutingTarget')
  disableTarget(): void {
    // write
  }

  @Authorize(Action.Read, 'User', { record: (user) => ({ id: user.id }) })
  me(): void {
    // anyone signed in, about themselves
  }

  @Authorize(Action.Read, 'User', { record: () => ({ id: 'somebody-else' }) })
  someoneElse(): void {
    // another account
  }

  @Authorize([Action.Create, Action.Update], 'Route')
  upsertRoute(): void {
    // create or replace
  }

  @Authorize(Action.Update, 'Role')
  editRole(): void {
    // owners only
  }

  undeclared(): void {
    // forgot @Authorize
  }
}

type Handler = keyof ExampleResolver;

const userOf = (role: string): AuthenticatedUser => ({
  id: `id-${role}`,
  email: `${role}@example.com`,
  role: role as RoleName,
});

function graphqlContext(handler: Handler, request: AuthorizedRequest): ExecutionContextHost {
  const info = { parentType: { name: 'Query' }, fieldName: handler };
  const context = new ExecutionContextHost(
    [undefined, {}, { req: request }, info],
    ExampleResolver,
    ExampleResolver.prototype[handler],
  );
  context.setType('graphql');
  return context;
}

function httpContext(handler: Handler, request: AuthorizedRequest & { method?: string; url?: string }) {
  return new ExecutionContextHost([request, {}], ExampleResolver, ExampleResolver.prototype[handler]);
}

function outcomeOf(run: () => unknown): unknown {
  try {
    run();
    return 'allowed';
  } catch (error) {
    return (error as GraphQLError).extensions?.['code'] ?? (error as Error).name;
  }
}

/** The factory a param decorator made with createParamDecorator runs. */
function paramFactory(decorator: () => ParameterDecorator) {
  class Host {
    handler(@decorator() _value: unknown): void {
      // only the metadata matters
    }
  }
  const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, Host, 'handler') as Record<string, { factory: unknown }>;
  return Object.values(args)[0].factory as (data: unknown, context: ExecutionContextHost) => unknown;
}

describe(AuthorizationGuard.name, () => {
  let factory: AbilityFactory;
  let guard: AuthorizationGuard;
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;

  beforeEach(() => {
    factory = new AbilityFactory();
    guard = new AuthorizationGuard(new Reflector(), factory);
    warn = jest.spyOn(guard['logger'], 'warn').mockImplementation(() => undefined);
    error = jest.spyOn(guard['logger'], 'error').mockImplementation(() => undefined);
  });

  const check = (handler: Handler, role: string) =>
    outcomeOf(() => guard.canActivate(graphqlContext(handler, { user: userOf(role) })));

  it('knows the same roles as the config file', () => {
    expect([...ROLES]).toEqual([...BUILT_IN_ROLES]);
  });

  const handlers = ['readTargets', 'disableTarget', 'me', 'someoneElse', 'upsertRoute', 'editRole'] as const;
  const allowed: Record<RoleName, readonly Handler[]> = {
    owner: handlers,
    admin: ['readTargets', 'disableTarget', 'me', 'someoneElse', 'upsertRoute'],
    operator: ['readTargets', 'disableTarget', 'me', 'upsertRoute'],
    auditor: ['readTargets', 'me', 'someoneElse'],
    member: ['me'],
  };

  it.each(ROLES)('lets %s do exactly what its ability allows', (role) => {
    const outcomes = (run: (handler: Handler) => unknown) => Object.fromEntries(handlers.map((h) => [h, run(h)]));
    expect(outcomes((handler) => check(handler, role))).toEqual(
      outcomes((handler) => (allowed[role].includes(handler) ? 'allowed' : 'FORBIDDEN')),
    );
  });

  it('denies an operation that declares nothing, even to the owner (default deny), and logs it as an error', () => {
    expect(check('undeclared', 'owner')).toBe('FORBIDDEN');
    expect(error).toHaveBeenCalledWith('Query.undeclared declares no @Authorize: denied to user id-owner (role owner)');
  });

  it('asks for authentication when no user is on the request', () => {
    expect(outcomeOf(() => guard.canActivate(graphqlContext('readTargets', {})))).toBe('UNAUTHENTICATED');
    expect(outcomeOf(() => guard.canActivate(graphqlContext('undeclared', {})))).toBe('UNAUTHENTICATED');
  });

  it('says what was refused and which roles may do it, and logs one warning per denial', () => {
    expect(() => guard.canActivate(graphqlContext('disableTarget', { user: userOf('auditor') }))).toThrow(
      'You may not update RoutingTarget: that needs one of the roles owner, admin, operator; you are auditor.',
    );
    expect(warn.mock.calls).toEqual([
      ['Denied Query.disableTarget to user id-auditor (role auditor): may not update RoutingTarget'],
    ]);
    expect(() => guard.canActivate(graphqlContext('editRole', { user: userOf('admin') }))).toThrow(
      'You may not update Role: only an owner may create, change or delete roles.',
    );
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('needs every declared action, and names only the missing ones', () => {
    const editor: RoleDefinition = {
      name: 'route-editor',
      description: 'Changes routes but may not add any.',
      rules: [{ action: [Action.Read, Action.Update], subject: 'Route' }],
    };
    jest.spyOn(factory, 'forUser').mockImplementation((user) => defineAbilityFor(user, [editor]));
    expect(() => guard.canActivate(graphqlContext('upsertRoute', { user: userOf('route-editor') }))).toThrow(
      'You may not create Route: that needs one of the roles owner, admin, operator; you are route-editor.',
    );
    expect(check('readTargets', 'route-editor')).toBe('FORBIDDEN');
    expect(warn).toHaveBeenLastCalledWith(
      'Denied Query.readTargets to user id-route-editor (role route-editor): may not read RoutingTarget',
    );
  });

  it('builds the ability once per request and hands it to @CurrentAbility()', () => {
    const build = jest.spyOn(factory, 'forUser');
    const request: AuthorizedRequest = { user: userOf('operator') };
    guard.canActivate(graphqlContext('readTargets', request));
    guard.canActivate(graphqlContext('disableTarget', request));
    guard.canActivate(graphqlContext('me', request));
    expect(build).toHaveBeenCalledTimes(1);
    const ability = paramFactory(CurrentAbility)(undefined, graphqlContext('me', request)) as AppAbility;
    expect(ability).toBe(request.ability);
    expect(ability.can(Action.Delete, 'Channel')).toBe(true);
    guard.canActivate(graphqlContext('readTargets', { user: userOf('operator') }));
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('refuses @CurrentAbility() on a request the guard did not check', () => {
    expect(() => paramFactory(CurrentAbility)(undefined, graphqlContext('me', { user: userOf('owner') }))).toThrow(
      /declare @Authorize/,
    );
  });

  describe('REST', () => {
    it('leaves routes without @Authorize (health, /v1, login) to their own rules', () => {
      expect(guard.canActivate(httpContext('undeclared', {}))).toBe(true);
    });

    it('checks routes that declare @Authorize against the same ability', () => {
      const request = { method: 'POST', url: '/api/targets/x/disable?now=1' };
      expect(guard.canActivate(httpContext('disableTarget', { ...request, user: userOf('operator') }))).toBe(true);
      const denied = () => guard.canActivate(httpContext('disableTarget', { ...request, user: userOf('member') }));
      expect(denied).toThrow(ForbiddenException);
      expect(denied).toThrow('You may not update RoutingTarget: that needs one of the roles owner, admin, operator');
      expect(warn).toHaveBeenCalledWith(
        'Denied POST /api/targets/x/disable to user id-member (role member): may not update RoutingTarget',
      );
      expect(() => guard.canActivate(httpContext('disableTarget', request))).toThrow(UnauthorizedException);
    });
  });
});
