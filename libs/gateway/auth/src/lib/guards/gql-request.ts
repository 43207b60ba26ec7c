import type { ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthorizedRequest } from './ability.factory';

/** The GraphQL context of the admin API: Fastify's request and reply. */
export interface AdminGqlContext {
  req: FastifyRequest & AuthorizedRequest;
  reply: FastifyReply;
}

export function isGraphql(context: ExecutionContext): boolean {
  return context.getType<GqlContextType>() === 'graphql';
}

export function gqlContext(context: ExecutionContext): AdminGqlContext {
  return GqlExecutionContext.create(context).getContext<AdminGqlContext>();
}
