import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedUser } from '../jwt/access-token';
import { gqlContext } from './gql-request';

/** The signed-in user of a GraphQL operation (set by GqlAuthGuard). */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedUser | undefined => gqlContext(context).req.user,
);
