import type { Repository, SelectQueryBuilder } from 'typeorm';
import type { RequestLogFilter, RequestLogPage, RequestLogSearch } from '../log-repositories';
import type { RequestLogEntry } from '../models/request-log';
import type { SqlDialect } from './column-types';
import type { Store } from './data-source';
import { entitiesOffLoop, type SqliteThreads } from './off-loop-read';
import { sqliteDatetime } from './sqlite-datetime';

type Query = SelectQueryBuilder<RequestLogEntry>;

/** Filters that are one column equal to one value. */
const EQUALS = [
  ['keyId', 'keyId'],
  ['userId', 'userId'],
  ['teamId', 'teamId'],
  ['requestedModel', 'requestedModel'],
  ['upstreamModel', 'upstreamModel'],
  ['channelId', 'channelId'],
  ['routeName', 'routeName'],
  ['endpoint', 'endpoint'],
  ['errorClass', 'errorClass'],
  ['status', 'status'],
  ['requestId', 'id'],
] as const satisfies readonly (readonly [keyof RequestLogFilter, keyof RequestLogEntry])[];

/**
 * One page of the request log, newest first by (created_at, id): keyset pagination, so a page
 * costs the same at any depth and rows inserted meanwhile (always newer) never shift the pages
 * behind the cursor. Every condition is in the query, access narrowing included.
 */
export async function searchRequestLogs(
  store: Store,
  repo: Repository<RequestLogEntry>,
  search: RequestLogSearch,
  thread?: SqliteThreads,
): Promise<RequestLogPage> {
  const rows = await entitiesOffLoop(store, thread, requestLogSearchQuery(repo, store.dialect, search));
  return { entries: rows.slice(0, search.first), hasNextPage: rows.length > search.first };
}

/** The query of one page (one row more than asked, to tell whether another page follows); the benchmark EXPLAINs it. */
export function requestLogSearchQuery(
  repo: Repository<RequestLogEntry>,
  dialect: SqlDialect,
  search: RequestLogSearch,
): Query {
  const time = (date: Date) => (dialect === 'sqlite' ? sqliteDatetime(date) : date);
  const query = repo.createQueryBuilder('log');
  const { filter, after } = search;
  for (const [field, column] of EQUALS) {
    const value = filter[field];
    if (value !== undefined) query.andWhere(`log.${column} = :${field}`, { [field]: value });
  }
  if (filter.model !== undefined) {
    query.andWhere('(log.requestedModel = :model OR log.upstreamModel = :model)', { model: filter.model });
  }
  if (filter.since) query.andWhere('log.createdAt >= :since', { since: time(filter.since) });
  if (filter.until) query.andWhere('log.createdAt < :until', { until: time(filter.until) });
  if (filter.statusClass !== undefined) {
    const low = filter.statusClass * 100;
    query.andWhere('log.status >= :statusLow AND log.status < :statusHigh', { statusLow: low, statusHigh: low + 100 });
  }
  const failed = (filter.statusClass ?? 0) >= 4 || (filter.status ?? 0) >= 400;
  // Written out as a literal so that the partial index of failed calls (status >= 400) applies.
  if (failed) query.andWhere('log.status >= 400');
  if (filter.minLatencyMs !== undefined)
    query.andWhere('log.latencyMs >= :minLatency', { minLatency: filter.minLatencyMs });
  if (filter.maxLatencyMs !== undefined)
    query.andWhere('log.latencyMs <= :maxLatency', { maxLatency: filter.maxLatencyMs });
  if (filter.visibleTo) narrowTo(query, filter.visibleTo);
  if (after) {
    // The first term alone can bound an index range on (…, created_at); the second breaks ties.
    query.andWhere('log.createdAt <= :afterAt AND (log.createdAt < :afterAt OR log.id < :afterId)', {
      afterAt: time(after.createdAt),
      afterId: after.id,
    });
  }
  return query
    .orderBy('log.createdAt', 'DESC')
    .addOrderBy('log.id', 'DESC')
    .limit(search.first + 1);
}

function narrowTo(query: Query, visible: NonNullable<RequestLogFilter['visibleTo']>): void {
  const terms: string[] = [];
  if (visible.userIds.length) terms.push('log.userId IN (:...visibleUsers)');
  if (visible.teamIds.length) terms.push('log.teamId IN (:...visibleTeams)');
  query.andWhere(terms.length ? `(${terms.join(' OR ')})` : '1 = 0', {
    visibleUsers: visible.userIds,
    visibleTeams: visible.teamIds,
  });
}
