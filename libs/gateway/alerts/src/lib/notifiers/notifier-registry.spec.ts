import { NotifierRegistry } from './notifier-registry';
import type { Notifier } from './notifier';

const notifier = (kind: Notifier['kind']): Notifier => ({
  kind,
  send: async () => ({ ok: true, attempts: 1, statusCode: 200, response: null, error: null }),
});

describe(NotifierRegistry.name, () => {
  it('finds notifiers by kind and refuses unknown kinds and duplicates', () => {
    const slack = notifier('slack');
    const registry = new NotifierRegistry([slack, notifier('email')]);
    expect(registry.get('slack')).toBe(slack);
    expect(registry.kinds()).toEqual(['slack', 'email']);
    expect(() => registry.get('wecom')).toThrow("no notifier for 'wecom' channels");
    expect(() => new NotifierRegistry([slack, notifier('slack')])).toThrow("two notifiers for 'slack'");
  });
});
