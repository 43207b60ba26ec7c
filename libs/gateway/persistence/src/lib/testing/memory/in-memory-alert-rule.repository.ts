import { AlertRuleRepository } from '../../alert-repositories';
import type { AlertRule } from '../../models/alert';
import type { InMemoryAlertStateRepository } from './in-memory-alert-state.repository';
import { refuseDuplicate, storedCopy } from './stored-copy';

/** Alert rules in memory; a unique name per rule as in SQL, and a deleted rule's state goes with it. */
export class InMemoryAlertRuleRepository extends AlertRuleRepository {
  /** By id. */
  readonly rules = new Map<string, AlertRule>();

  constructor(private readonly states?: InMemoryAlertStateRepository) {
    super();
  }

  async findAll(): Promise<AlertRule[]> {
    return [...this.rules.values()].sort((a, b) => a.name.localeCompare(b.name)).map(storedCopy);
  }

  async findById(id: string): Promise<AlertRule | null> {
    const rule = this.rules.get(id);
    return rule ? storedCopy(rule) : null;
  }

  async findByName(name: string): Promise<AlertRule | null> {
    const rule = [...this.rules.values()].find((r) => r.name === name);
    return rule ? storedCopy(rule) : null;
  }

  async save(rule: AlertRule): Promise<AlertRule> {
    refuseDuplicate(this.rules.values(), rule, 'name', 'alert_rules');
    this.rules.set(rule.id, storedCopy(rule));
    return rule;
  }

  async delete(id: string): Promise<boolean> {
    this.states?.states.delete(id);
    return this.rules.delete(id);
  }
}
