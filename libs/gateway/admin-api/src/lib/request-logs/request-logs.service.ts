import { Injectable } from '@nestjs/common';
import { GqlErrors } from '@synapse/gateway/auth';
import { RequestBodyRepository, RequestLogRepository, type RequestLogEntry } from '@synapse/gateway/persistence';
import { Action, asSubject, type AppAbility } from '@synapse/rbac';
import type { RequestLogsArgs } from './dto/request-logs.args';
import type { RequestLogBody } from './models/request-log-body.model';
import type { RequestLogHeader } from './models/request-log-header.model';
import type { RequestLogConnection } from './models/request-log-connection.model';
import { checkPageSize, parseRequestLogFilter } from './parse-request-log-filter';
import { decodeCursor, encodeCursor } from './request-log-cursor';
import { requestLogVisibility } from './request-log-visibility';

/** Search and read the request log, and the bodies captured with it, as far as the caller may. */
@Injectable()
export class RequestLogsService {
  constructor(
    private readonly logs: RequestLogRepository,
    private readonly bodies: RequestBodyRepository,
  ) {}

  async search(args: RequestLogsArgs, ability: AppAbility): Promise<RequestLogConnection> {
    const first = checkPageSize(args.first);
    const filter = parseRequestLogFilter(args.filter);
    const after = args.after == null ? undefined : decodeCursor(args.after);
    if (after === null) throw GqlErrors.badUserInput('after: not a cursor of this query (use pageInfo.endCursor)');
    const visibleTo = requestLogVisibility(ability);
    if (visibleTo) filter.visibleTo = visibleTo;
    const page = await this.logs.search({ filter, first, after });
    const last = page.entries.at(-1);
    return {
      nodes: page.entries,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: last ? encodeCursor(last) : null },
    };
  }

  /** One call; NOT_FOUND as well when the caller may not read it, so that ids reveal nothing. */
  async findOne(id: string, ability: AppAbility): Promise<RequestLogEntry> {
    const entry = id.length <= 64 ? await this.logs.findById(id) : null;
    if (!entry || !ability.can(Action.Read, asSubject('RequestLog', { ...entry }))) {
      throw GqlErrors.notFound(`No request log entry '${id}'.`);
    }
    return entry;
  }

  /** The captured bodies of a call the caller may read (and whose `body` field their role allows). */
  async bodyOf(entry: RequestLogEntry, ability: AppAbility): Promise<RequestLogBody | null> {
    if (!ability.can(Action.Read, asSubject('RequestLog', { ...entry }), 'body')) {
      throw GqlErrors.forbidden('Your role may not read the bodies of this call.');
    }
    const body = await this.bodies.findById(entry.id);
    if (!body) return null;
    return {
      request: body.request,
      response: body.response,
      requestTruncated: body.requestTruncated,
      responseTruncated: body.responseTruncated,
      truncated: body.requestTruncated || body.responseTruncated,
    };
  }

  /** The kept request headers of a call the caller may read (and whose `requestHeaders` field their role allows). */
  headersOf(entry: RequestLogEntry, ability: AppAbility): RequestLogHeader[] | null {
    if (!ability.can(Action.Read, asSubject('RequestLog', { ...entry }), 'requestHeaders')) {
      throw GqlErrors.forbidden('Your role may not read the request headers of this call.');
    }
    if (!entry.requestHeaders) return null;
    return Object.entries(entry.requestHeaders).map(([name, value]) => ({ name, value }));
  }
}
