import {
  ForbiddenException,
  Injectable,
  Logger,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuditTrail } from '@synapse/gateway/audit';
import { asSubject, builtInRolesAllowing, type AppAbility, type SubjectName, type SubjectRecord } from '@synapse/rbac';
import type { FastifyRequest } from 'fastify';
import { GqlErrors } from '../errors/gql-errors';
import type { AuthenticatedUser } from '../jwt/access-token';
import { AbilityFactory, type AuthorizedRequest } from './ability.factory';
import { AUTHORIZE_KEY, type AuthorizeMetadata } from './authorize.decorator';
import { gqlContext, isGraphql } from './gql-request';

/**
 * The one place that decides what a signed-in user may do: the action and subject an operation
 * declares with `@Authorize` must be allowed by the user's ability (@synapse/rbac). Default deny: a
 * GraphQL operation that declares nothing is refused to everybody. Other HTTP routes (health, /v1,
 * login) keep their own rules, unless they declare `@Authorize`. Every denial is logged and
 * recorded in the audit trail.
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  private readonly logger = new Logger(AuthorizationGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly abilities: AbilityFactory,
    private readonly audit: AuditTrail,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const graphql = isGraphql(context);
    const declared = this.reflector.getAllAndOverride<AuthorizeMetadata | undefined>(AUTHORIZE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!graphql && (!declared || context.getType() !== 'http')) return true;
    const request: AuthorizedRequest = graphql
      ? gqlContext(context).req
      : context.switchToHttp().getRequest<AuthorizedRequest>();
    const user = request?.user;
    if (!user) {
      throw graphql ? GqlErrors.unauthenticated() : new UnauthorizedException('Sign in first.');
    }
    const operation = operationName(context);
    const ability = await this.abilities.forRequest(request, user);
    if (!ability) {
      this.recordDenial(request, user, operation, declared?.subject ?? null, 'account no longer exists');
      throw graphql
        ? GqlErrors.unauthenticated('Your account no longer exists.')
        : new UnauthorizedException('Your account no longer exists.');
    }
    if (!declared) {
      this.logger.error(`${operation} declares no @Authorize: denied to user ${user.id} (role ${user.role})`);
      this.recordDenial(request, user, operation, null, 'the operation declares no permission');
      throw GqlErrors.forbidden('This operation declares no permission, so it is refused to everybody.');
    }
    const subject = declared.record ? asSubject(declared.subject, declared.record(user)) : declared.subject;
    const denied = declared.actions.filter((action) => !ability.can(action, subject));
    if (!denied.length) return true;

    const what = `${denied.join(' and ')} ${declared.subject}`;
    this.logger.warn(`Denied ${operation} to user ${user.id} (role ${user.role}): may not ${what}`);
    const message = `You may not ${what}: ${this.why(ability, user, declared, subject)}.`;
    this.recordDenial(request, user, operation, declared.subject, message);
    throw graphql ? GqlErrors.forbidden(message) : new ForbiddenException(message);
  }

  private recordDenial(
    request: AuthorizedRequest,
    user: AuthenticatedUser,
    operation: string,
    subject: string | null,
    detail: string,
  ): void {
    this.audit.record({
      action: operation,
      outcome: 'denied',
      actorId: user.id,
      actorEmail: user.email,
      ip: (request as Partial<FastifyRequest>).ip ?? null,
      subject,
      detail,
      requestId: (request as Partial<FastifyRequest>).id ?? null,
    });
  }

  /** The reason of the rule that forbids it, or the roles that would be allowed. */
  private why(
    ability: AppAbility,
    user: AuthenticatedUser,
    { actions }: AuthorizeMetadata,
    subject: SubjectName | SubjectRecord,
  ): string {
    const reason = actions.map((action) => ability.relevantRuleFor(action, subject)?.reason).find(Boolean);
    if (reason) return reason.replace(/\.$/, '').replace(/^./, (first: string) => first.toLowerCase());
    const roles = builtInRolesAllowing(user, (a) => actions.every((action) => a.can(action, subject)));
    return roles.length
      ? `that needs one of the roles ${roles.join(', ')}; you are ${user.role}`
      : `no role allows it; you are ${user.role}`;
  }
}

/** `Query.routingTargets`, or `POST /api/...` for REST. */
function operationName(context: ExecutionContext): string {
  if (isGraphql(context)) {
    const info = GqlExecutionContext.create(context).getInfo<{ parentType?: { name: string }; fieldName?: string }>();
    if (info?.parentType && info.fieldName) return `${info.parentType.name}.${info.fieldName}`;
  } else {
    const request = context.switchToHttp().getRequest<Partial<FastifyRequest>>();
    if (request?.method && request.url) return `${request.method} ${request.url.split('?')[0]}`;
  }
  return `${context.getClass().name}.${context.getHandler().name}`;
}
