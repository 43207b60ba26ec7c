import { Readable } from 'node:stream';
import { Injectable, StreamableFile } from '@nestjs/common';
import { AbilityFactory, type AuthenticatedUser, type AuthorizedRequest } from '@synapse/gateway/auth';
import { GatewayError } from '@synapse/gateway/errors';
import {
  UsageQueryError,
  UsageQueryService,
  usageCsvLines,
  usageReaderOf,
  type UsageGroupBy,
} from '@synapse/gateway/usage';
import type { UsageGranularity } from '@synapse/gateway/persistence';

const GRANULARITIES: readonly UsageGranularity[] = ['minute', 'hour', 'day'];
const GROUPS: readonly UsageGroupBy[] = ['none', 'key', 'user', 'team', 'channel', 'model'];
const FILTERS = ['keyId', 'userId', 'teamId', 'channelId', 'model'] as const;

/** Reads the export's query string, checks the caller's rights as `usageSeries` does, and streams CSV. */
@Injectable()
export class UsageExportService {
  constructor(
    private readonly usage: UsageQueryService,
    private readonly abilities: AbilityFactory,
  ) {}

  async csv(
    query: Record<string, unknown>,
    user: AuthenticatedUser,
    request: AuthorizedRequest,
  ): Promise<StreamableFile> {
    const ability = await this.abilities.forRequest(request, user);
    if (!ability) throw new GatewayError(401, 'invalid_access_token', 'Your account no longer exists.');
    const from = time(query, 'from');
    const to = time(query, 'to');
    const granularity = oneOf(query, 'granularity', GRANULARITIES, 'day');
    const groupBy = oneOf(query, 'groupBy', GROUPS, 'none');
    const filter = Object.fromEntries(FILTERS.map((name) => [name, text(query, name)]));
    try {
      const points = await this.usage.series(usageReaderOf(ability, user.id), {
        range: { from, to },
        granularity,
        groupBy,
        filter,
      });
      const name = `usage-${granularity}-${groupBy}-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}.csv`;
      return new StreamableFile(Readable.from(usageCsvLines(points)), {
        type: 'text/csv; charset=utf-8',
        disposition: `attachment; filename="${name}"`,
      });
    } catch (error) {
      if (!(error instanceof UsageQueryError)) throw error;
      throw error.code === 'FORBIDDEN'
        ? new GatewayError(403, 'forbidden', error.message)
        : new GatewayError(400, 'invalid_request', error.message);
    }
  }
}

function text(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new GatewayError(400, 'invalid_request', `${name}: give it once.`);
  return value;
}

function time(query: Record<string, unknown>, name: string): Date {
  const value = text(query, name);
  const date = value === undefined ? undefined : new Date(value);
  if (!date || Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value ?? '')) {
    throw new GatewayError(400, 'invalid_request', `${name}: an ISO 8601 date or date-time is required.`);
  }
  return date;
}

function oneOf<T extends string>(query: Record<string, unknown>, name: string, values: readonly T[], fallback: T): T {
  const value = text(query, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (!values.includes(value as T)) {
    throw new GatewayError(400, 'invalid_request', `${name}: one of ${values.join(', ')}.`);
  }
  return value as T;
}
