import { registerEnumType } from '@nestjs/graphql';
import type { RoleName } from '@synapse/gateway/config';

/** GraphQL names (upper case) of the user roles; the compiler checks the list is complete. */
export const RoleEnum = {
  OWNER: 'owner',
  ADMIN: 'admin',
  OPERATOR: 'operator',
  AUDITOR: 'auditor',
  MEMBER: 'member',
} as const satisfies { [R in RoleName as Uppercase<R>]: R };

registerEnumType(RoleEnum, { name: 'Role' });
