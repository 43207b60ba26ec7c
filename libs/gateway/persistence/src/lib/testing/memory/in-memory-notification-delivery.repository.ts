import { NotificationDeliveryRepository, type NotificationDeliveryQuery } from '../../alert-repositories';
import type { NotificationDelivery } from '../../models/alert';
import { storedCopy } from './stored-copy';

/** Notification deliveries in memory, newest first like the SQL stores. */
export class InMemoryNotificationDeliveryRepository extends NotificationDeliveryRepository {
  readonly deliveries: NotificationDelivery[] = [];

  async insert(delivery: NotificationDelivery): Promise<void> {
    this.deliveries.push(storedCopy(delivery));
  }

  async find(query: NotificationDeliveryQuery = {}): Promise<NotificationDelivery[]> {
    return this.deliveries
      .filter(
        (d) =>
          (!query.alertEventId || d.alertEventId === query.alertEventId) &&
          (!query.ruleId || d.ruleId === query.ruleId) &&
          (!query.channelId || d.channelId === query.channelId),
      )
      .sort((a, b) => b.at.getTime() - a.at.getTime() || b.id.localeCompare(a.id))
      .slice(0, Math.min(query.limit ?? 100, 1000))
      .map(storedCopy);
  }
}
