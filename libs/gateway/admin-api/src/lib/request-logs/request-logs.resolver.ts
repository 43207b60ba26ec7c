import { Args, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authorize, CurrentAbility } from '@synapse/gateway/auth';
import type { RequestLogEntry } from '@synapse/gateway/persistence';
import { Action, type AppAbility } from '@synapse/rbac';
import { RequestLogsArgs } from './dto/request-logs.args';
import { RequestLogBody } from './models/request-log-body.model';
import { RequestLogHeader } from './models/request-log-header.model';
import { RequestLogConnection } from './models/request-log-connection.model';
import { RequestLog } from './models/request-log.model';
import { RequestLogsService } from './request-logs.service';

@Resolver(() => RequestLog)
export class RequestLogsResolver {
  constructor(private readonly service: RequestLogsService) {}

  @Query(() => RequestLogConnection, {
    description: 'Searches the request log, newest first, a page at a time (members: their own calls).',
  })
  @Authorize(Action.Read, 'RequestLog')
  requestLogs(@Args() args: RequestLogsArgs, @CurrentAbility() ability: AppAbility): Promise<RequestLogConnection> {
    return this.service.search(args, ability);
  }

  @Query(() => RequestLog, { description: 'One call by its request id (x-request-id).' })
  @Authorize(Action.Read, 'RequestLog')
  requestLog(@Args('id', { type: () => ID }) id: string, @CurrentAbility() ability: AppAbility): Promise<RequestLog> {
    return this.service.findOne(id, ability);
  }

  @ResolveField(() => RequestLogBody, {
    nullable: true,
    description: 'The captured bodies; null when neither the key nor the route captures them.',
  })
  body(@Parent() entry: RequestLogEntry, @CurrentAbility() ability: AppAbility): Promise<RequestLogBody | null> {
    return this.service.bodyOf(entry, ability);
  }

  @ResolveField(() => [RequestLogHeader], {
    nullable: true,
    description: "The caller's request headers that were kept; null for calls logged before headers were (0017).",
  })
  requestHeaders(@Parent() entry: RequestLogEntry, @CurrentAbility() ability: AppAbility): RequestLogHeader[] | null {
    return this.service.headersOf(entry, ability);
  }
}
