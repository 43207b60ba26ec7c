import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ROLES, type RoleName } from '@synapse/gateway/config';
import type { GraphQLError } from 'graphql';
import { ANY_ROLE, Roles } from './roles.decorator';
import { RolesGuard } from './roles.guard';

class ExampleResolver {
  @Roles('owner', 'admin', 'operator', 'auditor')
  readTargets(): void {
    // read
  }

  @Roles('owner', 'admin', 'operator')
  disableTarget(): void {
    // write
  }

  @Roles(...ANY_ROLE)
  me(): void {
    // anyone signed in
  }

  undeclared(): void {
    // forgot @Roles
  }
}

function graphqlContext(handler: keyof ExampleResolver, role?: RoleName): ExecutionContextHost {
  const user = role ? { id: `id-${role}`, email: `${role}@example.com`, role } : undefined;
  const context = new ExecutionContextHost(
    [undefined, {}, { req: { user } }, {}],
    ExampleResolver,
    ExampleResolver.prototype[handler],
  );
  context.setType('graphql');
  return context;
}

function codeOf(run: () => unknown): unknown {
  try {
    run();
    return 'allowed';
  } catch (error) {
    return (error as GraphQLError).extensions?.['code'];
  }
}

describe(RolesGuard.name, () => {
  const guard = new RolesGuard(new Reflector());
  jest.spyOn(guard['logger'], 'error').mockImplementation(() => undefined);

  const expected: Record<RoleName, Record<'readTargets' | 'disableTarget' | 'me', string>> = {
    owner: { readTargets: 'allowed', disableTarget: 'allowed', me: 'allowed' },
    admin: { readTargets: 'allowed', disableTarget: 'allowed', me: 'allowed' },
    operator: { readTargets: 'allowed', disableTarget: 'allowed', me: 'allowed' },
    auditor: { readTargets: 'allowed', disableTarget: 'FORBIDDEN', me: 'allowed' },
    member: { readTargets: 'FORBIDDEN', disableTarget: 'FORBIDDEN', me: 'allowed' },
  };

  it.each(ROLES)('lets %s do exactly what the operations declare', (role) => {
    const actual = Object.fromEntries(
      (['readTargets', 'disableTarget', 'me'] as const).map((op) => [
        op,
        codeOf(() => guard.canActivate(graphqlContext(op, role))),
      ]),
    );
    expect(actual).toEqual(expected[role]);
  });

  it('denies an operation that declares no roles, even to the owner (default deny)', () => {
    expect(codeOf(() => guard.canActivate(graphqlContext('undeclared', 'owner')))).toBe('FORBIDDEN');
  });

  it('asks for authentication when no user is on the request', () => {
    expect(codeOf(() => guard.canActivate(graphqlContext('readTargets')))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => guard.canActivate(graphqlContext('undeclared')))).toBe('UNAUTHENTICATED');
  });

  it('names the roles that would be allowed', () => {
    expect(() => guard.canActivate(graphqlContext('disableTarget', 'auditor'))).toThrow(
      'This needs one of the roles owner, admin, operator; you are auditor.',
    );
  });

  it('leaves other transports (health, /v1, login) alone', () => {
    const http = new ExecutionContextHost([{}, {}], ExampleResolver, ExampleResolver.prototype.undeclared);
    expect(guard.canActivate(http)).toBe(true);
  });
});
