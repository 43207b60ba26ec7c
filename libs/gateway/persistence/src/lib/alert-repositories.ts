import type {
  AlertEvent,
  AlertRule,
  AlertScope,
  AlertState,
  NotificationChannel,
  NotificationDelivery,
} from './models/alert';

/*
 * Storage contracts of alerting (libs/gateway/alerts): rules, notification channels, the state
 * and history of each rule, the deliveries, and the request-log signals the rules read.
 */

export abstract class AlertRuleRepository {
  /** Ordered by name. */
  abstract findAll(): Promise<AlertRule[]>;
  abstract findById(id: string): Promise<AlertRule | null>;
  abstract findByName(name: string): Promise<AlertRule | null>;
  abstract save(rule: AlertRule): Promise<AlertRule>;
  /** Removes the rule with its state; false when there was none. */
  abstract delete(id: string): Promise<boolean>;
}

export abstract class NotificationChannelRepository {
  /** Ordered by name. */
  abstract findAll(): Promise<NotificationChannel[]>;
  abstract findById(id: string): Promise<NotificationChannel | null>;
  abstract findByName(name: string): Promise<NotificationChannel | null>;
  abstract save(channel: NotificationChannel): Promise<NotificationChannel>;
  abstract delete(id: string): Promise<boolean>;
}

export interface AlertEventQuery {
  ruleId?: string;
  limit?: number;
}

export abstract class AlertStateRepository {
  abstract findAll(): Promise<AlertState[]>;
  abstract find(ruleId: string): Promise<AlertState | null>;
  /**
   * Writes `next` only if the stored state is still `expectedVersion` (0: no state stored yet), and
   * the event with it in the same transaction. Of replicas that evaluated the same rule at the same
   * time exactly one gets true: that one notifies.
   */
  abstract transition(expectedVersion: number, next: AlertState, event: AlertEvent | null): Promise<boolean>;
  /** Newest first. */
  abstract events(query?: AlertEventQuery): Promise<AlertEvent[]>;
}

export interface NotificationDeliveryQuery {
  alertEventId?: string;
  ruleId?: string;
  channelId?: string;
  limit?: number;
}

export abstract class NotificationDeliveryRepository {
  abstract insert(delivery: NotificationDelivery): Promise<void>;
  /** Newest first. */
  abstract find(query?: NotificationDeliveryQuery): Promise<NotificationDelivery[]>;
}

/**
 * A call that lasted this long or more is a long call: it is logged when it ends, so its row can
 * arrive after the minute it is stamped with (its start) was read and kept by an alert rule. Such
 * calls are few, and a partial index holds them (migration 0019), so they are read again each round.
 */
export const LONG_CALL_MS = 240_000;

/** The calls of the request log in `[since, until)` within a scope. */
export interface SignalWindow {
  scope: AlertScope;
  since: Date;
  until: Date;
  /** Only the calls that lasted under LONG_CALL_MS (`short`) or at least that (`long`); all without. */
  duration?: 'short' | 'long';
}

export interface TrafficCounts {
  count: number;
  /** Calls answered with a 5xx status. */
  errors: number;
  costUsd: number;
}

/** The counts of the calls stamped within one minute. */
export interface MinuteTrafficCounts extends TrafficCounts {
  /** The minute's start. */
  minute: Date;
}

/** How many calls had a value (of latency or ttft, in ms). */
export interface ValueCount {
  value: number;
  count: number;
}

/** The calls of one minute that had a value. */
export interface MinuteValueCount extends ValueCount {
  minute: Date;
}

/** Aggregates of the request log for alert rules, computed by the database over a window. */
export abstract class RequestLogSignalRepository {
  abstract counts(window: SignalWindow): Promise<TrafficCounts>;
  /** The same counts per minute of `created_at`, oldest first; a minute without calls has no entry. */
  abstract countsPerMinute(window: SignalWindow): Promise<MinuteTrafficCounts[]>;
  /**
   * How many calls of each minute had each value of `latency_ms` or `ttft_ms`, the values rounded
   * down to three significant digits (exact below 1,000 ms, 1,230 for 1,230-1,239): a percentile
   * of them is within 0.5 % of the exact one. Calls without the column are left out.
   */
  abstract valueCountsPerMinute(window: SignalWindow, column: 'latency' | 'ttft'): Promise<MinuteValueCount[]>;
  /**
   * The `fraction` (0-1) percentile of `latency_ms` or `ttft_ms` with linear interpolation
   * (PostgreSQL's percentile_cont), and how many calls in the window have the column; value null
   * when none has.
   */
  abstract percentile(
    window: SignalWindow,
    column: 'latency' | 'ttft',
    fraction: number,
  ): Promise<{ value: number | null; count: number }>;
}
