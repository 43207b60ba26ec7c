import type { Repository, SelectQueryBuilder } from 'typeorm';
import {
  AlertStateRepository,
  NotificationDeliveryRepository,
  LONG_CALL_MS,
  RequestLogSignalRepository,
  type AlertEventQuery,
  type AlertRuleRepository,
  type MinuteTrafficCounts,
  type MinuteValueCount,
  type NotificationChannelRepository,
  type NotificationDeliveryQuery,
  type SignalWindow,
  type TrafficCounts,
} from '../alert-repositories';
import type { AlertEvent, AlertRule, AlertState, NotificationChannel, NotificationDelivery } from '../models/alert';
import type { RequestLogEntry } from '../models/request-log';
import type { Store } from './data-source';
import { readOffLoop, type SqliteThreads } from './off-loop-read';
import { minuteOf, readMinute } from './sql-params';
import { TypeOrmRepository } from './typeorm-repository';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

export class TypeOrmAlertRuleRepository extends TypeOrmRepository<AlertRule, 'id'> implements AlertRuleRepository {
  constructor(store: Store) {
    super(store, store.entities.alertRule, { id: 'id', order: { name: 'ASC' } });
  }
  findByName(name: string) {
    return this.findOneBy({ name });
  }
  /** The rule's state goes with it; its history stays (events carry the rule's name). */
  override delete(id: string): Promise<boolean> {
    return this.store.transaction(async (manager) => {
      await manager.delete(this.store.entities.alertState, { ruleId: id });
      const result = await manager.delete(this.store.entities.alertRule, { id });
      return (result.affected ?? 0) > 0;
    });
  }
}

export class TypeOrmNotificationChannelRepository
  extends TypeOrmRepository<NotificationChannel, 'id'>
  implements NotificationChannelRepository
{
  constructor(store: Store) {
    super(store, store.entities.notificationChannel, { id: 'id', order: { name: 'ASC' } });
  }
  findByName(name: string) {
    return this.findOneBy({ name });
  }
}

export class TypeOrmAlertStateRepository extends AlertStateRepository {
  private readonly states: Repository<AlertState>;
  private readonly history: Repository<AlertEvent>;

  constructor(private readonly store: Store) {
    super();
    this.states = store.dataSource.getRepository(store.entities.alertState);
    this.history = store.dataSource.getRepository(store.entities.alertEvent);
  }

  findAll(): Promise<AlertState[]> {
    return this.states.find({ order: { ruleId: 'ASC' } });
  }

  find(ruleId: string): Promise<AlertState | null> {
    return this.states.findOneBy({ ruleId });
  }

  transition(expectedVersion: number, next: AlertState, event: AlertEvent | null): Promise<boolean> {
    const { alertState, alertEvent } = this.store.entities;
    return this.store.transaction(async (manager) => {
      // A rule never evaluated has no row: a version-0 row is put first (ignored when one exists,
      // also one another replica is inserting), so that every change is the same conditional UPDATE.
      await manager
        .createQueryBuilder()
        .insert()
        .into(alertState)
        .values({ ...next, status: 'inactive', version: 0 })
        .orIgnore()
        .execute();
      const { ruleId, ...fields } = next;
      const result = await manager.update(alertState, { ruleId, version: expectedVersion }, fields);
      if ((result.affected ?? 0) === 0) return false;
      if (event) await manager.insert(alertEvent, event);
      return true;
    });
  }

  events(query: AlertEventQuery = {}): Promise<AlertEvent[]> {
    return this.history.find({
      where: query.ruleId ? { ruleId: query.ruleId } : {},
      order: { at: 'DESC', id: 'DESC' },
      take: Math.min(query.limit ?? DEFAULT_PAGE, MAX_PAGE),
    });
  }
}

export class TypeOrmNotificationDeliveryRepository extends NotificationDeliveryRepository {
  private readonly rows: Repository<NotificationDelivery>;

  constructor(store: Store) {
    super();
    this.rows = store.dataSource.getRepository(store.entities.notificationDelivery);
  }

  async insert(delivery: NotificationDelivery): Promise<void> {
    await this.rows.insert(delivery);
  }

  find(query: NotificationDeliveryQuery = {}): Promise<NotificationDelivery[]> {
    return this.rows.find({
      where: {
        ...(query.alertEventId && { alertEventId: query.alertEventId }),
        ...(query.ruleId && { ruleId: query.ruleId }),
        ...(query.channelId && { channelId: query.channelId }),
      },
      order: { at: 'DESC', id: 'DESC' },
      take: Math.min(query.limit ?? DEFAULT_PAGE, MAX_PAGE),
    });
  }
}

/** The request-log column each scope filters on. */
const SCOPE_COLUMN = {
  model: 'requestedModel',
  channel: 'channelId',
  route: 'routeName',
  key: 'keyId',
  team: 'teamId',
} as const;

const MEASURE_COLUMN = { latency: 'latencyMs', ttft: 'ttftMs' } as const;

/**
 * An integer column rounded down to three significant digits, by integer division (both stores
 * divide integers as integers): exact below 1,000, then steps of 10, 100, … 1,000,000 (values under
 * 10^9 ms, 11.5 days), and steps of 10^7 past that.
 */
function threeSignificantDigits(column: string): string {
  const steps = [10, 100, 1_000, 10_000, 100_000, 1_000_000];
  const cases = steps.map((step) => `WHEN ${column} < ${step * 1_000} THEN ${column} / ${step} * ${step}`).join(' ');
  return `CASE WHEN ${column} < 1000 THEN ${column} ${cases} ELSE ${column} / 10000000 * 10000000 END`;
}

interface CountsRow {
  count: number | string;
  errors: number | string | null;
  cost: number | string | null;
}

function readCounts(row: CountsRow | undefined): TrafficCounts {
  return { count: Number(row?.count ?? 0), errors: Number(row?.errors ?? 0), costUsd: Number(row?.cost ?? 0) };
}

/**
 * Signals over `request_logs`, bounded to the window by `idx_request_logs_created_at`. Percentiles:
 * PostgreSQL's `percentile_cont`; on SQLite the two ranks around the percentile are read with
 * ORDER BY … LIMIT 2 OFFSET k (no row list is fetched) and interpolated the same way.
 */
export class TypeOrmRequestLogSignalRepository extends RequestLogSignalRepository {
  private readonly logs: Repository<RequestLogEntry>;

  /**
   * `sqliteThreads`: the request log's threads (TypeOrmRequestLogRepository.sqliteThreads). On
   * SQLite a window of heavy traffic is a scan or a sort of many rows, and a query runs on the
   * thread that calls it: on their reader, the evaluator never holds the event loop.
   */
  constructor(
    private readonly store: Store,
    private readonly sqliteThreads?: SqliteThreads,
  ) {
    super();
    this.logs = store.dataSource.getRepository(store.entities.requestLog);
  }

  async counts(window: SignalWindow): Promise<TrafficCounts> {
    const [row] = await this.rows<CountsRow>(this.selectCounts(this.inWindow(window)));
    return readCounts(row);
  }

  async countsPerMinute(window: SignalWindow): Promise<MinuteTrafficCounts[]> {
    const minute = minuteOf(this.store.dialect, 'log.createdAt');
    const rows = await this.rows<CountsRow & { minute: unknown }>(
      this.selectCounts(this.inWindow(window)).addSelect(minute, 'minute').groupBy(minute).orderBy(minute),
    );
    return rows.map((row) => ({ minute: readMinute(row.minute), ...readCounts(row) }));
  }

  async valueCountsPerMinute(window: SignalWindow, column: 'latency' | 'ttft'): Promise<MinuteValueCount[]> {
    const measure = `log.${MEASURE_COLUMN[column]}`;
    const minute = minuteOf(this.store.dialect, 'log.createdAt');
    const value = threeSignificantDigits(measure);
    const rows = await this.rows<{ minute: unknown; value: number | string; count: number | string }>(
      this.inWindow(window)
        .select(minute, 'minute')
        .addSelect(value, 'value')
        .addSelect('COUNT(*)', 'count')
        .andWhere(`${measure} IS NOT NULL`)
        .groupBy(minute)
        .addGroupBy(value),
    );
    return rows.map((row) => ({ minute: readMinute(row.minute), value: Number(row.value), count: Number(row.count) }));
  }

  private selectCounts(query: SelectQueryBuilder<RequestLogEntry>) {
    return query
      .select('COUNT(*)', 'count')
      .addSelect('SUM(CASE WHEN log.status >= 500 THEN 1 ELSE 0 END)', 'errors')
      .addSelect('SUM(log.costUsd)', 'cost');
  }

  async percentile(
    window: SignalWindow,
    column: 'latency' | 'ttft',
    fraction: number,
  ): Promise<{ value: number | null; count: number }> {
    const measure = `log.${MEASURE_COLUMN[column]}`;
    if (this.store.dialect === 'postgres') {
      const row = await this.inWindow(window)
        .select(`percentile_cont(:fraction) WITHIN GROUP (ORDER BY ${measure})`, 'value')
        .addSelect(`COUNT(${measure})`, 'n')
        .andWhere(`${measure} IS NOT NULL`)
        .setParameter('fraction', fraction)
        .getRawOne<{ value: number | string | null; n: number | string }>();
      return { value: row?.value == null ? null : Number(row.value), count: Number(row?.n ?? 0) };
    }
    const [counted] = await this.rows<{ n: number | string }>(
      this.inWindow(window).select('COUNT(*)', 'n').andWhere(`${measure} IS NOT NULL`),
    );
    const count = Number(counted?.n ?? 0);
    if (count === 0) return { value: null, count };
    const rank = (count - 1) * fraction;
    const lower = Math.floor(rank);
    const rows = await this.rows<{ value: number | string }>(
      this.inWindow(window)
        .select(measure, 'value')
        .andWhere(`${measure} IS NOT NULL`)
        .orderBy(measure, 'ASC')
        .limit(2)
        .offset(lower),
    );
    const low = Number(rows[0].value);
    const high = rows.length > 1 ? Number(rows[1].value) : low;
    return { value: low + (high - low) * (rank - lower), count };
  }

  private rows<T>(query: SelectQueryBuilder<RequestLogEntry>): Promise<T[]> {
    return readOffLoop<T>(this.store, this.sqliteThreads, query);
  }

  private inWindow(window: SignalWindow) {
    const query = this.logs
      .createQueryBuilder('log')
      .where('log.createdAt >= :since', { since: window.since })
      .andWhere('log.createdAt < :until', { until: window.until });
    const { kind, value } = window.scope;
    if (kind !== 'all') query.andWhere(`log.${SCOPE_COLUMN[kind]} = :scopeValue`, { scopeValue: value });
    // A literal: it matches the partial index of long calls (0019) whatever a planner makes of parameters.
    if (window.duration === 'long') query.andWhere(`log.latencyMs >= ${LONG_CALL_MS}`);
    if (window.duration === 'short') query.andWhere(`log.latencyMs < ${LONG_CALL_MS}`);
    return query;
  }
}
