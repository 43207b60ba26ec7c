import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { AuditTrail } from '@synapse/gateway/audit';
import { ROLES, type RoleName } from '@synapse/gateway/config';
import { InMemoryAuditEventRepository } from '@synapse/gateway/persistence/testing';
import { Action, BUILT_IN_ROLES, type AppAbility, type RoleDefinition } from '@synapse/rbac';
import type { GraphQLError } from 'graphql';
import type { AccessDirectory } from '../access/access-directory';
import { AccessSnapshot, type DirectoryUser } from '../access/access-snapshot';
import type { AuthenticatedUser } from '../jwt/access-token';
import { AbilityFactory, type AuthorizedRequest } from './ability.factory';
import { AuthorizationGuard } from './authorization.guard';
import { Authorize, SignedIn } from './authorize.decorator';
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

  @SignedIn('Role')
  ownRole(): void {
    // the caller's own access
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

const EDITOR: RoleDefinition = {
  name: 'route-editor',
  description: 'Changes routes but may not add any.',
  rules: [{ action: [Action.Read, Action.Update], subject: 'Route' }],
};

/** The accounts of every built-in role and of the custom role above, as the directory would hold them. */
function directoryOf(roles: readonly string[]): { directory: AccessDirectory; snapshot: AccessSnapshot } {
  const users = new Map(roles.map((role): [string, DirectoryUser] => [`id-${role}`, userOf(role)]));
  const snapshot = new AccessSnapshot(users, new Map(), new Map([[EDITOR.name, EDITOR]]));
  return {
    snapshot,
    directory: { current: async () => snapshot, refreshed: async () => snapshot } as unknown as AccessDirectory,
  };
}

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

async function outcomeOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
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
  let guard: AuthorizationGuard;
  let snapshot: AccessSnapshot;
  let audit: InMemoryAuditEventRepository;
  let trail: AuditTrail;
  let warn: jest.SpyInstance;
  let error: jest.SpyInstance;

  beforeEach(() => {
    const access = directoryOf([...BUILT_IN_ROLES, EDITOR.name]);
    snapshot = access.snapshot;
    audit = new InMemoryAuditEventRepository();
    trail = new AuditTrail(audit);
    guard = new AuthorizationGuard(new Reflector(), new AbilityFactory(access.directory), trail);
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

  it.each(ROLES)('lets %s do exactly what its ability allows', async (role) => {
    const outcomes: Record<string, unknown> = {};
    for (const handler of handlers) outcomes[handler] = await check(handler, role);
    expect(outcomes).toEqual(
      Object.fromEntries(handlers.map((h) => [h, allowed[role].includes(h) ? 'allowed' : 'FORBIDDEN'])),
    );
  });

  it('denies an operation that declares nothing, even to the owner (default deny), logs it as an error and records it', async () => {
    expect(await check('undeclared', 'owner')).toBe('FORBIDDEN');
    expect(error).toHaveBeenCalledWith('Query.undeclared declares no @Authorize: denied to user id-owner (role owner)');
    await trail.flush();
    expect(audit.events).toMatchObject([{ action: 'Query.undeclared', outcome: 'denied', actorId: 'id-owner' }]);
  });

  it('lets any existing account, whatever its role grants, call an operation about its own access', async () => {
    for (const role of [...ROLES, EDITOR.name]) expect(await check('ownRole', role)).toBe('allowed');
    expect(await check('ownRole', 'deleted-user')).toBe('UNAUTHENTICATED');
    expect(await outcomeOf(() => guard.canActivate(graphqlContext('ownRole', {})))).toBe('UNAUTHENTICATED');
  });

  it('asks for authentication when no user is on the request, or the account is gone', async () => {
    expect(await outcomeOf(() => guard.canActivate(graphqlContext('readTargets', {})))).toBe('UNAUTHENTICATED');
    expect(await outcomeOf(() => guard.canActivate(graphqlContext('undeclared', {})))).toBe('UNAUTHENTICATED');
    expect(await check('readTargets', 'deleted-user')).toBe('UNAUTHENTICATED');
  });

  it('uses the role the account holds now, not the one in the token', async () => {
    const request: AuthorizedRequest = { user: { ...userOf('auditor'), role: 'owner' } };
    expect(await outcomeOf(() => guard.canActivate(graphqlContext('disableTarget', request)))).toBe('FORBIDDEN');
    expect(request.user?.role).toBe('auditor');
  });

  it('says what was refused and which roles may do it, logs one warning and records one audit event per denial', async () => {
    await expect(guard.canActivate(graphqlContext('disableTarget', { user: userOf('auditor') }))).rejects.toThrow(
      'You may not update RoutingTarget: that needs one of the roles owner, admin, operator; you are auditor.',
    );
    expect(warn.mock.calls).toEqual([
      ['Denied Query.disableTarget to user id-auditor (role auditor): may not update RoutingTarget'],
    ]);
    await expect(guard.canActivate(graphqlContext('editRole', { user: userOf('admin') }))).rejects.toThrow(
      'You may not update Role: only an owner may create, change or delete roles.',
    );
    expect(warn).toHaveBeenCalledTimes(2);
    await trail.flush();
    expect(audit.events.map((e) => [e.action, e.outcome, e.actorEmail, e.subject, e.detail])).toEqual([
      [
        'Query.disableTarget',
        'denied',
        'auditor@example.com',
        'RoutingTarget',
        'You may not update RoutingTarget: that needs one of the roles owner, admin, operator; you are auditor.',
      ],
      [
        'Query.editRole',
        'denied',
        'admin@example.com',
        'Role',
        'You may not update Role: only an owner may create, change or delete roles.',
      ],
    ]);
  });

  it('needs every declared action, and names only the missing ones', async () => {
    await expect(guard.canActivate(graphqlContext('upsertRoute', { user: userOf('route-editor') }))).rejects.toThrow(
      'You may not create Route: that needs one of the roles owner, admin, operator; you are route-editor.',
    );
    expect(await check('readTargets', 'route-editor')).toBe('FORBIDDEN');
    expect(warn).toHaveBeenLastCalledWith(
      'Denied Query.readTargets to user id-route-editor (role route-editor): may not read RoutingTarget',
    );
  });

  it('builds the ability once per request, caches it per user, and hands it to @CurrentAbility()', async () => {
    const build = jest.spyOn(snapshot, 'abilityFor');
    const request: AuthorizedRequest = { user: userOf('operator') };
    await guard.canActivate(graphqlContext('readTargets', request));
    await guard.canActivate(graphqlContext('disableTarget', request));
    await guard.canActivate(graphqlContext('me', request));
    expect(build).toHaveBeenCalledTimes(1);
    const ability = paramFactory(CurrentAbility)(undefined, graphqlContext('me', request)) as AppAbility;
    expect(ability).toBe(request.ability);
    expect(ability.can(Action.Delete, 'Channel')).toBe(true);
    const next: AuthorizedRequest = { user: userOf('operator') };
    await guard.canActivate(graphqlContext('readTargets', next));
    expect(next.ability).toBe(request.ability);
  });

  it('refuses @CurrentAbility() on a request the guard did not check', () => {
    expect(() => paramFactory(CurrentAbility)(undefined, graphqlContext('me', { user: userOf('owner') }))).toThrow(
      /declare @Authorize/,
    );
  });

  describe('REST', () => {
    it('leaves routes without @Authorize (health, /v1, login) to their own rules', async () => {
      expect(await guard.canActivate(httpContext('undeclared', {}))).toBe(true);
    });

    it('checks routes that declare @Authorize against the same ability', async () => {
      const request = { method: 'POST', url: '/api/targets/x/disable?now=1' };
      expect(await guard.canActivate(httpContext('disableTarget', { ...request, user: userOf('operator') }))).toBe(
        true,
      );
      const denied = () => guard.canActivate(httpContext('disableTarget', { ...request, user: userOf('member') }));
      await expect(denied()).rejects.toThrow(ForbiddenException);
      await expect(denied()).rejects.toThrow(
        'You may not update RoutingTarget: that needs one of the roles owner, admin, operator',
      );
      expect(warn).toHaveBeenCalledWith(
        'Denied POST /api/targets/x/disable to user id-member (role member): may not update RoutingTarget',
      );
      await expect(guard.canActivate(httpContext('disableTarget', request))).rejects.toThrow(UnauthorizedException);
    });
  });
});
