import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { AuditEventRepository, type AuditEvent, type AuditQuery } from '@synapse/gateway/persistence';
import { redactSecrets } from './redact';

/** What a caller reports; the trail adds the id and time, and redacts `changes`. */
export type AuditRecord = Partial<Omit<AuditEvent, 'id' | 'at' | 'action' | 'outcome'>> &
  Pick<AuditEvent, 'action' | 'outcome'>;

const FLUSH_DELAY_MS = 200;
const FLUSH_SIZE = 200;
/** Events kept when the store is down; beyond that the oldest are dropped (and said so in the log). */
const MAX_PENDING = 10_000;

/**
 * The audit trail: who did or tried what. Recording never waits for the store nor fails the
 * operation that is recorded; events are written in batches shortly after, and all of them at
 * shutdown. Reads flush first, so that an operator sees what just happened.
 */
@Injectable()
export class AuditTrail implements OnApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private pending: AuditEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly events: AuditEventRepository) {}

  record(record: AuditRecord): void {
    const event: AuditEvent = {
      actorId: null,
      actorEmail: null,
      ip: null,
      subject: null,
      subjectId: null,
      detail: null,
      requestId: null,
      ...record,
      changes: record.changes ? (redactSecrets(record.changes) as Record<string, unknown>) : null,
      id: randomUUID(),
      at: new Date(),
    };
    this.pending.push(event);
    if (this.pending.length > MAX_PENDING) {
      const dropped = this.pending.splice(0, this.pending.length - MAX_PENDING);
      this.logger.error(`audit store unavailable: dropped ${dropped.length} oldest events`);
    }
    if (this.pending.length >= FLUSH_SIZE) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_DELAY_MS).unref();
  }

  /** Writes everything recorded so far; resolves when it is stored (or has failed and was kept). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(() => this.writePending());
    return this.writing;
  }

  async find(query: AuditQuery): Promise<AuditEvent[]> {
    await this.flush();
    return this.events.find(query);
  }

  onApplicationShutdown(): Promise<void> {
    return this.flush();
  }

  private async writePending(): Promise<void> {
    const batch = this.pending;
    if (!batch.length) return;
    this.pending = [];
    try {
      await this.events.insertMany(batch);
    } catch (error) {
      // Kept for the next flush, ahead of what came since.
      this.pending = [...batch, ...this.pending];
      this.logger.error(`could not write ${batch.length} audit events: ${(error as Error).message}`);
    }
  }
}
