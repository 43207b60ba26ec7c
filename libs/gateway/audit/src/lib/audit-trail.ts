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
  private sequence = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly events: AuditEventRepository) {}

  record(record: AuditRecord): void {
    const event: AuditEvent = {
      // Cut to the columns' sizes: one over-long value (a name, a forwarded address) must not make
      // the store refuse a whole batch.
      actorId: clip(record.actorId, 36),
      actorEmail: clip(record.actorEmail, 254),
      ip: clip(record.ip, 64),
      action: clip(record.action, 100) as string,
      subject: clip(record.subject, 64),
      subjectId: clip(record.subjectId, 300),
      outcome: record.outcome,
      detail: clip(record.detail, 4000),
      requestId: clip(record.requestId, 64),
      changes: record.changes ? (redactSecrets(record.changes) as Record<string, unknown>) : null,
      id: this.nextId(),
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

  /**
   * Time-ordered ids (time, then a sequence within this process), so that events of the same
   * millisecond read back newest first in the order they were recorded.
   */
  private nextId(): string {
    this.sequence = (this.sequence + 1) % 36 ** 6;
    const time = Date.now().toString(36).padStart(10, '0');
    return `${time}${this.sequence.toString(36).padStart(6, '0')}-${randomUUID()}`;
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
      await this.writeOneByOne(batch, error as Error);
    }
  }

  /**
   * After a batch failed: one event the store refuses must not hold back the others. If none can be
   * written the store itself is down, and the batch is kept for the next flush.
   */
  private async writeOneByOne(batch: AuditEvent[], batchError: Error): Promise<void> {
    const kept: AuditEvent[] = [];
    let written = 0;
    for (const event of batch) {
      try {
        await this.events.insertMany([event]);
        written++;
      } catch {
        kept.push(event);
      }
    }
    if (written === 0) {
      this.pending = [...batch, ...this.pending];
      this.logger.error(`could not write ${batch.length} audit events: ${batchError.message}`);
    } else if (kept.length) {
      this.logger.error(
        `dropped ${kept.length} audit events the store refused (${kept.map((e) => e.action).join(', ')})`,
      );
    }
  }
}

function clip(value: string | null | undefined, length: number): string | null {
  if (value === undefined || value === null) return null;
  return value.length > length ? `${value.slice(0, length - 1)}…` : value;
}
