import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Store } from './typeorm/data-source';

export const STORE_FOR_AVAILABILITY = Symbol('STORE_FOR_AVAILABILITY');

/** Between two probes of a PostgreSQL store; a failed write reports an outage at once. */
const PROBE_INTERVAL_MS = 1_000;
const PROBE_TIMEOUT_MS = 1_000;

/**
 * Whether the database answers, known without a query on the request path: a `SELECT 1` every
 * second on PostgreSQL (a server that can go away), never on SQLite (a file in the process). The
 * admin API answers 503 while it is down, and the request log keeps its entries (docs/deployment.md#faults).
 */
@Injectable()
export class StoreAvailability implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Store');
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  up = true;

  constructor(@Inject(STORE_FOR_AVAILABILITY) private readonly store: Store) {}

  /** Whether `up` follows a probe (PostgreSQL); on SQLite it stays true. */
  get probed(): boolean {
    return this.store.dialect === 'postgres';
  }

  onModuleInit(): void {
    if (this.store.dialect !== 'postgres') return;
    this.timer = setInterval(() => void this.probe(), PROBE_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** A write failed: believe the database down until the next probe says otherwise. */
  reportFailure(): void {
    if (this.store.dialect === 'postgres') this.set(false);
  }

  async probe(): Promise<boolean> {
    if (this.probing) return this.up;
    this.probing = true;
    try {
      await Promise.race([
        this.store.dataSource.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS).unref()),
      ]);
      this.set(true);
    } catch {
      this.set(false);
    } finally {
      this.probing = false;
    }
    return this.up;
  }

  private set(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    if (up) this.logger.log('the database answers again');
    else this.logger.error('the database is unreachable: the admin API answers 503, request log entries are kept');
  }
}
