import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuditTrail } from '@synapse/gateway/audit';
import {
  AUTHORIZE_KEY,
  gqlContext,
  isGraphql,
  type AuthorizeMetadata,
  type AuthorizedRequest,
} from '@synapse/gateway/auth';
import type { FastifyRequest } from 'fastify';
import type { GraphQLError } from 'graphql';
import { tap, type Observable } from 'rxjs';

/**
 * One audit event per GraphQL mutation that passed authorization: who, what (the input, secrets
 * redacted by the trail), which record, and whether it succeeded or failed and why. Denials are
 * recorded by AuthorizationGuard, before this runs.
 */
@Injectable()
export class AuditMutationsInterceptor implements NestInterceptor {
  constructor(
    private readonly trail: AuditTrail,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!isGraphql(context)) return next.handle();
    const gql = GqlExecutionContext.create(context);
    const info = gql.getInfo<{ parentType: { name: string }; fieldName: string }>();
    if (info.parentType.name !== 'Mutation') return next.handle();
    const request = gqlContext(context).req as AuthorizedRequest & Partial<FastifyRequest>;
    const declared = this.reflector.get<AuthorizeMetadata | undefined>(AUTHORIZE_KEY, context.getHandler());
    const args = gql.getArgs<Record<string, unknown>>();
    const record = (outcome: 'succeeded' | 'failed', detail: string | null, subjectId: string | null) =>
      this.trail.record({
        action: `Mutation.${info.fieldName}`,
        outcome,
        actorId: request.user?.id ?? null,
        actorEmail: request.user?.email ?? null,
        ip: request.ip ?? null,
        subject: declared?.subject ?? null,
        subjectId: subjectId ?? idIn(args),
        detail,
        changes: args,
        requestId: request.id ?? null,
      });
    return next.handle().pipe(
      tap({
        next: (result) => record('succeeded', null, idIn(result)),
        error: (error: GraphQLError) => {
          const code = error.extensions?.['code'];
          record('failed', `${typeof code === 'string' ? `${code}: ` : ''}${error.message}`, null);
        },
      }),
    );
  }
}

/** The record's id or name in a result or the arguments (`{ id }`, `{ key: { id } }`, `{ name }`). */
function idIn(value: unknown): string | null {
  if (value === null || typeof value !== 'object') return null;
  const object = value as Record<string, unknown>;
  for (const field of ['id', 'name', 'teamId']) if (typeof object[field] === 'string') return object[field] as string;
  if (object['key']) return idIn(object['key']);
  if (object['input']) return idIn(object['input']);
  return null;
}
