import { RequestBodyRepository } from '../../log-repositories';
import type { RequestBody } from '../../models/request-body';
import { storedCopy } from './stored-copy';

/** Captured bodies in memory; same contract as the SQL stores. */
export class InMemoryRequestBodyRepository extends RequestBodyRepository {
  readonly bodies = new Map<string, RequestBody>();

  async insertMany(bodies: readonly RequestBody[]): Promise<void> {
    for (const body of bodies) {
      if (!this.bodies.has(body.requestId)) this.bodies.set(body.requestId, storedCopy(body));
    }
  }

  async findById(requestId: string): Promise<RequestBody | null> {
    const found = this.bodies.get(requestId);
    return found ? storedCopy(found) : null;
  }

  async purgeOlderThan(before: Date, limit: number): Promise<number> {
    const doomed = [...this.bodies.values()]
      .filter((b) => b.createdAt < before)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, limit);
    for (const body of doomed) this.bodies.delete(body.requestId);
    return doomed.length;
  }
}
