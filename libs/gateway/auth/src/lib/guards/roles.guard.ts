import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { RoleName } from '@synapse/gateway/config';
import { GqlErrors } from '../errors/gql-errors';
import { gqlContext, isGraphql } from './gql-request';
import { ROLES_KEY } from './roles.decorator';

/**
 * The one place that decides who may call a GraphQL operation: the user's role must be among the
 * roles the operation declares with `@Roles`. Default deny: an operation that declares none is
 * refused for everybody. (The access-control issue will put CASL abilities behind this guard.)
 */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly logger = new Logger(RolesGuard.name);

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (!isGraphql(context)) return true;
    const user = gqlContext(context).req?.user;
    if (!user) throw GqlErrors.unauthenticated();
    const allowed = this.reflector.getAllAndOverride<readonly RoleName[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!allowed?.length) {
      this.logger.error(`${context.getClass().name}.${context.getHandler().name} declares no @Roles: denied`);
      throw GqlErrors.forbidden();
    }
    if (!allowed.includes(user.role)) {
      throw GqlErrors.forbidden(`This needs one of the roles ${allowed.join(', ')}; you are ${user.role}.`);
    }
    return true;
  }
}
