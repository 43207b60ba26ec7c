import type { Repository } from 'typeorm';
import { LATENCY_BUCKETS_MS } from '@synapse/metrics';
import type { Channel } from '../models/channel';
import type { GatewayKey } from '../models/gateway-key';
import type { RequestLogPage, RequestLogSearch } from '../log-repositories';
import { withLogNamesCut, type RequestLogEntry } from '../models/request-log';
import type { Route } from '../models/route';
import type { TargetEvent, TargetOverride } from '../models/target-event';
import type { User } from '../models/user';
import {
  RequestLogRepository,
  TargetEventRepository,
  type ChannelRepository,
  type GatewayKeyRepository,
  type RequestLogQuery,
  type RouteRepository,
  type ScopeSpend,
  type TargetOverrideRepository,
  type UserRepository,
} from '../repositories';
import { SqliteLogThreads } from '../sqlite/sqlite-log-threads';
import { refusedRows } from './refused-rows';
import type { Store } from './data-source';
import { readOffLoop } from './off-loop-read';
import { purgeOlderThan } from './purge-older-than';
import { searchRequestLogs } from './request-log-search.query';
import { sqliteDatetime } from './sqlite-datetime';
import { TypeOrmRepository } from './typeorm-repository';

export class TypeOrmChannelRepository extends TypeOrmRepository<Channel, 'id'> implements ChannelRepository {
  constructor(store: Store) {
    super(store, store.entities.channel, { id: 'id', order: { name: 'ASC' } });
  }
  findByName(name: string) {
    return this.findOneBy({ name });
  }
  async setApiKeyHint(id: string, sealed: string, hint: string | null): Promise<boolean> {
    const result = await this.rows.update({ id, apiKeyEncrypted: sealed }, { apiKeyHint: hint });
    return (result.affected ?? 0) > 0;
  }
}

export class TypeOrmGatewayKeyRepository extends TypeOrmRepository<GatewayKey, 'id'> implements GatewayKeyRepository {
  constructor(store: Store) {
    super(store, store.entities.gatewayKey, { id: 'id', order: { name: 'ASC' } });
  }
  findByName(name: string) {
    return this.findOneBy({ name });
  }
  protected override toModel(row: GatewayKey): GatewayKey {
    return withoutCaptureOff(row);
  }
}

/** Routes are found and deleted by their unique name, so the name is the id here. */
export class TypeOrmRouteRepository extends TypeOrmRepository<Route, 'name'> implements RouteRepository {
  constructor(store: Store) {
    super(store, store.entities.route, { id: 'name', order: { name: 'ASC' } });
  }
  findByName(name: string) {
    return this.findById(name);
  }
  protected override toModel(row: Route): Route {
    return withoutCaptureOff(row);
  }
}

/** `captureBodies` is optional in the models: a row with it off reads as a model without it. */
function withoutCaptureOff<T extends { captureBodies?: boolean }>(row: T): T {
  if (row.captureBodies) return row;
  const { captureBodies: _off, ...rest } = row;
  return rest as T;
}

export class TypeOrmTargetEventRepository extends TargetEventRepository {
  private readonly repo: Repository<TargetEvent>;
  constructor(store: Store) {
    super();
    this.repo = store.dataSource.getRepository(store.entities.targetEvent);
  }
  async insert(event: TargetEvent): Promise<void> {
    await this.repo.insert(event);
  }
  recent(limit: number) {
    return this.repo.find({ order: { at: 'DESC', id: 'DESC' }, take: limit });
  }
}

export class TypeOrmTargetOverrideRepository
  extends TypeOrmRepository<TargetOverride, 'targetId'>
  implements TargetOverrideRepository
{
  constructor(store: Store) {
    super(store, store.entities.targetOverride, { id: 'targetId', order: { targetId: 'ASC' } });
  }
}

/** Emails are stored in lower case, so that the unique index and lookups ignore case. */
export class TypeOrmUserRepository extends TypeOrmRepository<User, 'id'> implements UserRepository {
  constructor(store: Store) {
    super(store, store.entities.user, { id: 'id', order: { email: 'ASC' } });
  }
  count(filter: { role?: User['role'] } = {}) {
    return this.rows.countBy(filter.role ? { role: filter.role } : {});
  }
  findByEmail(email: string) {
    return this.findOneBy({ email: email.toLowerCase() });
  }
  findBySsoIdentity(issuer: string, subject: string) {
    return this.findOneBy({ ssoIssuer: issuer, ssoSubject: subject });
  }
  async findWithLimits() {
    const rows = await this.rows.createQueryBuilder('user').where('user.limits IS NOT NULL').getMany();
    return rows.map((row) => this.toModel(row));
  }
  changeKeepingAnOwner(change: { save: User } | { delete: string }): Promise<boolean> {
    return this.store.transaction(async (manager) => {
      const users = manager.getRepository(this.rows.target);
      const query = users.createQueryBuilder('user').where('user.role = :owner', { owner: 'owner' });
      // SQLite writes one transaction at a time already; PostgreSQL needs the owner rows locked.
      if (manager.connection.options.type === 'postgres') query.setLock('pessimistic_write');
      const owners = await query.getMany();
      const changedId = 'save' in change ? change.save.id : change.delete;
      const remaining =
        owners.filter((owner) => owner.id !== changedId).length +
        ('save' in change && change.save.role === 'owner' ? 1 : 0);
      if (remaining === 0) return false;
      if ('save' in change) await users.save(this.toRow(change.save));
      else await users.delete({ id: change.delete });
      return true;
    });
  }
  protected override toRow(user: User): User {
    return { ...user, email: user.email.toLowerCase() };
  }
}

/** Rows per PostgreSQL INSERT statement: 25 parameters each, far below the protocol's limit. */
const INSERT_CHUNK = 200;

const LOG_COLUMNS = [
  'id',
  'created_at',
  'endpoint',
  'key_id',
  'user_id',
  'requested_model',
  'route_name',
  'channel_id',
  'upstream_model',
  'attempts',
  'stream',
  'status',
  'latency_ms',
  'ttft_ms',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'usage_source',
  'cost_usd',
  'error_class',
  'error_message',
  'team_id',
  'cached_tokens',
  'ingress_format',
  'request_headers',
  'audio_seconds',
] as const;

function logRow(entry: RequestLogEntry, createdAt: unknown, stream: unknown): unknown[] {
  const e = withLogNamesCut(entry);
  return [
    e.id,
    createdAt,
    e.endpoint,
    e.keyId,
    e.userId,
    e.requestedModel,
    e.routeName,
    e.channelId,
    e.upstreamModel,
    e.attempts,
    stream,
    e.status,
    e.latencyMs,
    e.ttftMs,
    e.promptTokens,
    e.completionTokens,
    e.totalTokens,
    e.usageSource,
    e.costUsd,
    e.errorClass,
    e.errorMessage,
    e.teamId ?? null,
    e.cachedTokens ?? null,
    e.ingressFormat ?? null,
    // simple-json, as TypeORM writes it: serialised here, in the batch, never on the request path.
    e.requestHeaders ? JSON.stringify(e.requestHeaders) : null,
    e.audioSeconds ?? null,
  ];
}

/**
 * Request-log writes bypass the ORM's query builder: they are the one write whose volume follows
 * the traffic, and building the same INSERT through TypeORM cost more CPU than proxying the call.
 * On SQLite they run in a worker thread, since better-sqlite3 blocks the thread it runs on.
 * The row encoding matches what TypeORM itself writes, so reads through the ORM see equal values.
 */
export class TypeOrmRequestLogRepository extends RequestLogRepository {
  private readonly repo: Repository<RequestLogEntry>;
  private sqliteLogThreads: SqliteLogThreads | undefined;
  private readonly threads = () => this.sqliteThreads();

  constructor(private readonly store: Store) {
    super();
    this.repo = store.dataSource.getRepository(store.entities.requestLog);
  }

  async insertMany(entries: readonly RequestLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      await this.write(entries);
    } catch (error) {
      throw refusedRows(error) ?? error;
    }
  }

  private async write(entries: readonly RequestLogEntry[]): Promise<void> {
    if (this.store.dialect === 'sqlite') {
      // One JSON string crosses to the thread: far cheaper than structured-cloning every row.
      await this.sqliteThreads().insert(
        JSON.stringify(entries.map((e) => logRow(e, sqliteDatetime(e.createdAt), e.stream ? 1 : 0))),
      );
      return;
    }
    await this.store.transaction(async (manager) => {
      for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
        const chunk = entries.slice(i, i + INSERT_CHUNK);
        const params: unknown[] = [];
        const tuples = chunk.map((entry) => {
          const row = logRow(entry, entry.createdAt, entry.stream);
          const placeholders = row.map((_, c) => `$${params.length + c + 1}`);
          params.push(...row);
          return `(${placeholders.join(', ')})`;
        });
        // A batch whose commit reached the server but whose answer was lost is sent again: skip its rows.
        await manager.query(
          `INSERT INTO request_logs (${LOG_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (id) DO NOTHING`,
          params,
        );
      }
    });
  }

  override async close(): Promise<void> {
    await this.sqliteLogThreads?.close();
    this.sqliteLogThreads = undefined;
  }

  findById(id: string) {
    return this.repo.findOneBy({ id });
  }
  find(query: RequestLogQuery = {}) {
    const qb = this.repo.createQueryBuilder('log').orderBy('log.createdAt', 'DESC').addOrderBy('log.id', 'DESC');
    if (query.keyId) qb.andWhere('log.keyId = :keyId', { keyId: query.keyId });
    if (query.since) qb.andWhere('log.createdAt >= :since', { since: query.since });
    return qb.take(Math.min(query.limit ?? 100, 1000)).getMany();
  }
  count() {
    return this.repo.count();
  }
  async spendSince(since: Date): Promise<ScopeSpend[]> {
    const sums = async (column: 'keyId' | 'userId', scope: ScopeSpend['scope']) => {
      const query = this.repo
        .createQueryBuilder('log')
        .select(`log.${column}`, 'id')
        .addSelect('SUM(log.costUsd)', 'cost')
        .where('log.createdAt >= :since', { since })
        .andWhere(`log.${column} IS NOT NULL`)
        .andWhere('log.costUsd IS NOT NULL')
        .groupBy(`log.${column}`);
      // A month of log, read again when Redis comes back, under traffic.
      const rows = await readOffLoop<{ id: string; cost: number | string }>(this.store, this.threads, query);
      return rows.map((row) => ({ scope, id: row.id, costUsd: Number(row.cost) }));
    };
    return [...(await sums('keyId', 'key')), ...(await sums('userId', 'user'))];
  }
  search(search: RequestLogSearch): Promise<RequestLogPage> {
    // A filter that matches little walks the log: on SQLite, on the log's reader thread.
    return searchRequestLogs(this.store, this.repo, search, this.threads);
  }
  purgeOlderThan(before: Date, limit: number): Promise<number> {
    const table = { table: 'request_logs', id: 'id', time: 'created_at' };
    return purgeOlderThan(this.store, table, before, limit, () => this.sqliteThreads());
  }

  /**
   * The SQLite thread that writes the request log (started on first use), with a reader thread
   * beside it for the long reads of the log (searches, the rollup's and the alerts' sums), so that
   * they never hold the event loop nor the log's batches. SQLite only.
   */
  sqliteThreads(): SqliteLogThreads {
    this.sqliteLogThreads ??= new SqliteLogThreads(
      this.store.dataSource.options.database as string,
      // Only a row already written is skipped (OR IGNORE would also drop rows that break NOT NULL).
      `INSERT INTO request_logs (${LOG_COLUMNS.join(', ')}) VALUES (${LOG_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`,
      { columns: LOG_COLUMNS, latencyBounds: LATENCY_BUCKETS_MS },
    );
    return this.sqliteLogThreads;
  }
}
