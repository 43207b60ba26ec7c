import type { NotificationChannelKind } from '@synapse/gateway/persistence';
import type { Notifier } from './notifier';

/** The notifiers by the kind of channel they serve: adding a kind is adding a notifier, no switch. */
export class NotifierRegistry {
  private readonly byKind = new Map<NotificationChannelKind, Notifier>();

  constructor(notifiers: readonly Notifier[]) {
    for (const notifier of notifiers) {
      if (this.byKind.has(notifier.kind)) throw new Error(`two notifiers for '${notifier.kind}'`);
      this.byKind.set(notifier.kind, notifier);
    }
  }

  get(kind: NotificationChannelKind): Notifier {
    const notifier = this.byKind.get(kind);
    if (!notifier) throw new Error(`no notifier for '${kind}' channels`);
    return notifier;
  }

  kinds(): NotificationChannelKind[] {
    return [...this.byKind.keys()];
  }
}
