import type { RequestLogFilter, RequestLogPage, RequestLogSearch } from '../../log-repositories';
import { withLogNamesCut, type RequestLogEntry } from '../../models/request-log';
import { RequestLogRepository, type RequestLogQuery, type ScopeSpend } from '../../repositories';
import { storedCopy } from './stored-copy';

/** Newest first by (createdAt, id), the order of the SQL stores. */
function newestFirst(a: RequestLogEntry, b: RequestLogEntry): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

function matches(e: RequestLogEntry, f: RequestLogFilter): boolean {
  const at = e.createdAt.getTime();
  const visible =
    !f.visibleTo ||
    (e.userId !== null && f.visibleTo.userIds.includes(e.userId)) ||
    (e.teamId != null && f.visibleTo.teamIds.includes(e.teamId));
  return (
    visible &&
    (f.since === undefined || at >= f.since.getTime()) &&
    (f.until === undefined || at < f.until.getTime()) &&
    (f.keyId === undefined || e.keyId === f.keyId) &&
    (f.userId === undefined || e.userId === f.userId) &&
    (f.teamId === undefined || e.teamId === f.teamId) &&
    (f.model === undefined || e.requestedModel === f.model || e.upstreamModel === f.model) &&
    (f.requestedModel === undefined || e.requestedModel === f.requestedModel) &&
    (f.upstreamModel === undefined || e.upstreamModel === f.upstreamModel) &&
    (f.channelId === undefined || e.channelId === f.channelId) &&
    (f.routeName === undefined || e.routeName === f.routeName) &&
    (f.endpoint === undefined || e.endpoint === f.endpoint) &&
    (f.status === undefined || e.status === f.status) &&
    (f.statusClass === undefined || Math.floor(e.status / 100) === f.statusClass) &&
    (f.minLatencyMs === undefined || e.latencyMs >= f.minLatencyMs) &&
    (f.maxLatencyMs === undefined || e.latencyMs <= f.maxLatencyMs) &&
    (f.errorClass === undefined || e.errorClass === f.errorClass) &&
    (f.requestId === undefined || e.id === f.requestId)
  );
}

/** The request log in memory, for specs of code that reads or writes it; same contract as the SQL stores. */
export class InMemoryRequestLogRepository extends RequestLogRepository {
  readonly entries: RequestLogEntry[] = [];

  async insertMany(entries: readonly RequestLogEntry[]): Promise<void> {
    const ids = new Set(this.entries.map((e) => e.id));
    for (const entry of entries) {
      if (ids.has(entry.id)) throw new Error(`duplicate request log id ${entry.id}`);
      ids.add(entry.id);
    }
    this.entries.push(...entries.map((entry) => storedCopy(withLogNamesCut(entry))));
  }

  async findById(id: string): Promise<RequestLogEntry | null> {
    const found = this.entries.find((e) => e.id === id);
    return found ? storedCopy(found) : null;
  }

  async find(query: RequestLogQuery = {}): Promise<RequestLogEntry[]> {
    return this.entries
      .filter((e) => (!query.keyId || e.keyId === query.keyId) && (!query.since || e.createdAt >= query.since))
      .sort(newestFirst)
      .slice(0, Math.min(query.limit ?? 100, 1000))
      .map(storedCopy);
  }

  async count(): Promise<number> {
    return this.entries.length;
  }

  async spendSince(since: Date): Promise<ScopeSpend[]> {
    const sums = new Map<string, ScopeSpend>();
    for (const e of this.entries) {
      if (e.createdAt < since || e.costUsd === null) continue;
      for (const [scope, id] of [
        ['key', e.keyId],
        ['user', e.userId],
      ] as const) {
        if (!id) continue;
        const sum = sums.get(`${scope}:${id}`) ?? { scope, id, costUsd: 0 };
        sum.costUsd += e.costUsd;
        sums.set(`${scope}:${id}`, sum);
      }
    }
    return [...sums.values()];
  }

  async search(search: RequestLogSearch): Promise<RequestLogPage> {
    const { after } = search;
    const rows = this.entries
      .filter((e) => matches(e, search.filter))
      .filter(
        (e) =>
          !after ||
          e.createdAt.getTime() < after.createdAt.getTime() ||
          (e.createdAt.getTime() === after.createdAt.getTime() && e.id < after.id),
      )
      .sort(newestFirst);
    return { entries: rows.slice(0, search.first).map(storedCopy), hasNextPage: rows.length > search.first };
  }

  async purgeOlderThan(before: Date, limit: number): Promise<number> {
    const doomed = new Set(
      this.entries
        .filter((e) => e.createdAt < before)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .slice(0, limit),
    );
    for (let i = this.entries.length - 1; i >= 0; i--) if (doomed.has(this.entries[i])) this.entries.splice(i, 1);
    return doomed.size;
  }
}
