import { AlertStateRepository, type AlertEventQuery } from '../../alert-repositories';
import type { AlertEvent, AlertState } from '../../models/alert';
import { storedCopy } from './stored-copy';

/**
 * Alert states and history in memory. A transition checks and writes in one synchronous step, so
 * that of two concurrent transitions from the same version exactly one wins, as in SQL.
 */
export class InMemoryAlertStateRepository extends AlertStateRepository {
  /** By rule id. */
  readonly states = new Map<string, AlertState>();
  readonly history: AlertEvent[] = [];

  async findAll(): Promise<AlertState[]> {
    return [...this.states.values()].sort((a, b) => a.ruleId.localeCompare(b.ruleId)).map(storedCopy);
  }

  async find(ruleId: string): Promise<AlertState | null> {
    const state = this.states.get(ruleId);
    return state ? storedCopy(state) : null;
  }

  async transition(expectedVersion: number, next: AlertState, event: AlertEvent | null): Promise<boolean> {
    if ((this.states.get(next.ruleId)?.version ?? 0) !== expectedVersion) return false;
    this.states.set(next.ruleId, storedCopy(next));
    if (event) this.history.push(storedCopy(event));
    return true;
  }

  async events(query: AlertEventQuery = {}): Promise<AlertEvent[]> {
    return this.history
      .filter((event) => !query.ruleId || event.ruleId === query.ruleId)
      .sort((a, b) => b.at.getTime() - a.at.getTime() || b.id.localeCompare(a.id))
      .slice(0, Math.min(query.limit ?? 100, 1000))
      .map(storedCopy);
  }
}
