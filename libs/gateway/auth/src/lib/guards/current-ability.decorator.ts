import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AppAbility } from '@synapse/rbac';
import type { AuthorizedRequest } from './ability.factory';
import { gqlContext, isGraphql } from './gql-request';

/**
 * The signed-in user's ability (built by AuthorizationGuard), for checks on records in resolvers and
 * services: `ability.can(Action.Update, asSubject('GatewayKey', key))`.
 */
export const CurrentAbility = createParamDecorator((_data: unknown, context: ExecutionContext): AppAbility => {
  const request: AuthorizedRequest = isGraphql(context)
    ? gqlContext(context).req
    : context.switchToHttp().getRequest<AuthorizedRequest>();
  // Only an operation without @Authorize gets here without one, and AuthorizationGuard refuses those.
  if (!request.ability) throw new Error('No ability on the request: declare @Authorize on the operation.');
  return request.ability;
});
