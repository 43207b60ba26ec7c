import type { AuditEvent } from '../../models/audit-event';
import { AuditEventRepository, type AuditQuery } from '../../repositories';
import { storedCopy } from './stored-copy';

/** Audit events in memory, for tests of code that records them; same filters as the SQL stores. */
export class InMemoryAuditEventRepository extends AuditEventRepository {
  readonly events: AuditEvent[] = [];

  async insertMany(events: readonly AuditEvent[]): Promise<void> {
    this.events.push(...events.map(storedCopy));
  }

  async find(query: AuditQuery = {}): Promise<AuditEvent[]> {
    const prefix = query.action?.endsWith('*') ? query.action.slice(0, -1) : undefined;
    return this.events
      .filter(
        (e) =>
          (!query.actorId || e.actorId === query.actorId) &&
          (!query.outcome || e.outcome === query.outcome) &&
          (!query.subject || e.subject === query.subject) &&
          (!query.action || (prefix !== undefined ? e.action.startsWith(prefix) : e.action === query.action)) &&
          (!query.since || e.at >= query.since) &&
          (!query.until || e.at <= query.until),
      )
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, query.limit ?? 100)
      .map(storedCopy);
  }

  async purgeOlderThan(before: Date, limit: number): Promise<number> {
    const doomed = new Set(
      this.events
        .filter((e) => e.at < before)
        .sort((a, b) => a.at.getTime() - b.at.getTime())
        .slice(0, limit),
    );
    for (let i = this.events.length - 1; i >= 0; i--) if (doomed.has(this.events[i])) this.events.splice(i, 1);
    return doomed.size;
  }
}
