import { SetMetadata } from '@nestjs/common';
import type { Action, RecordSubjectName } from '@synapse/rbac';
import type { AuthenticatedUser } from '../jwt/access-token';

export const AUTHORIZE_KEY = 'synapse:authorize';

/** An action an operation performs; `manage` is a wildcard for rules, never something an operation does. */
export type OperationAction = Exclude<Action, 'manage'>;

export interface AuthorizeOptions {
  /**
   * The record the operation acts on, when the signed-in user alone determines it (`me`: the user's
   * own account). The check then applies the rules' conditions to it, instead of asking whether the
   * user may act on some record of that type.
   */
  record?: (user: AuthenticatedUser) => Record<string, unknown>;
}

export interface AuthorizeMetadata extends AuthorizeOptions {
  actions: readonly OperationAction[];
  subject: RecordSubjectName;
}

/**
 * What a GraphQL operation (or an admin REST route) does, checked by AuthorizationGuard against the
 * user's ability: `@Authorize(Action.Update, 'Route')`. Several actions must all be allowed
 * (`@Authorize([Action.Create, Action.Update], 'Route')` for an upsert). A GraphQL operation without
 * it is refused to everybody.
 *
 * The check is on the subject type (unless `record` is given): rules with conditions count, so a
 * member passes `@Authorize(Action.Read, 'GatewayKey')`, and the service narrows to the records the
 * ability allows (`@CurrentAbility()`).
 */
export const Authorize = (
  action: OperationAction | readonly OperationAction[],
  subject: RecordSubjectName,
  options: AuthorizeOptions = {},
) =>
  SetMetadata<string, AuthorizeMetadata>(AUTHORIZE_KEY, {
    actions: typeof action === 'string' ? [action] : [...action],
    subject,
    ...options,
  });

/**
 * An operation about the caller's own access (`myRole`): any signed-in account whose account still
 * exists may call it, whatever its role grants. It declares no action, so nothing can be denied;
 * the service answers only for the caller.
 */
export const SignedIn = (subject: RecordSubjectName) =>
  SetMetadata<string, AuthorizeMetadata>(AUTHORIZE_KEY, { actions: [], subject });
