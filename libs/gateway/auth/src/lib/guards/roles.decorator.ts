import { SetMetadata } from '@nestjs/common';
import { ROLES, type RoleName } from '@synapse/gateway/config';

export const ROLES_KEY = 'synapse:roles';

/** Every role: for operations any signed-in user may call (such as `me`). */
export const ANY_ROLE = ROLES;

/**
 * The roles that may call a GraphQL operation. Every operation must declare them: RolesGuard
 * denies operations without this decorator.
 */
export const Roles = (...roles: [RoleName, ...RoleName[]]) => SetMetadata(ROLES_KEY, roles);
