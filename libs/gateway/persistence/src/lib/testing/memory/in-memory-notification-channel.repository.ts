import { NotificationChannelRepository } from '../../alert-repositories';
import type { NotificationChannel } from '../../models/alert';
import { refuseDuplicate, storedCopy } from './stored-copy';

/** Notification channels in memory; a unique name per channel as in SQL. */
export class InMemoryNotificationChannelRepository extends NotificationChannelRepository {
  /** By id. */
  readonly channels = new Map<string, NotificationChannel>();

  async findAll(): Promise<NotificationChannel[]> {
    return [...this.channels.values()].sort((a, b) => a.name.localeCompare(b.name)).map(storedCopy);
  }

  async findById(id: string): Promise<NotificationChannel | null> {
    const channel = this.channels.get(id);
    return channel ? storedCopy(channel) : null;
  }

  async findByName(name: string): Promise<NotificationChannel | null> {
    const channel = [...this.channels.values()].find((c) => c.name === name);
    return channel ? storedCopy(channel) : null;
  }

  async save(channel: NotificationChannel): Promise<NotificationChannel> {
    refuseDuplicate(this.channels.values(), channel, 'name', 'notification_channels');
    this.channels.set(channel.id, storedCopy(channel));
    return channel;
  }

  async delete(id: string): Promise<boolean> {
    return this.channels.delete(id);
  }
}
