import type { AlertMessage } from '../notifiers/notifier';

/** A firing alert for notifier specs. */
export function firingMessage(overrides: Partial<AlertMessage> = {}): AlertMessage {
  return {
    event: 'firing',
    ruleId: 'rule-1',
    ruleName: 'high-error-rate',
    kind: 'error_rate',
    scope: 'model gpt-4o-mini',
    value: 12.5,
    summary: 'error rate 12.5% ≥ 5% (8 of 64 calls in 5m)',
    at: new Date('2026-05-01T10:00:00.000Z'),
    eventId: 'event-1',
    ...overrides,
  };
}
