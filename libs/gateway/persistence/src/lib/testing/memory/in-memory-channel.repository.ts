import type { Channel } from '../../models/channel';
import { ChannelRepository } from '../../repositories';
import { refuseDuplicate, storedCopy } from './stored-copy';

/** Channels in memory, for tests of code that edits them; a unique name per channel as in SQL. */
export class InMemoryChannelRepository extends ChannelRepository {
  /** By id. */
  readonly channels = new Map<string, Channel>();
  /** Set to make the next save fail, as a lost database would. */
  failSave: Error | undefined;

  async findAll(): Promise<Channel[]> {
    return [...this.channels.values()].sort((a, b) => a.name.localeCompare(b.name)).map(storedCopy);
  }

  async findByName(name: string): Promise<Channel | null> {
    const channel = [...this.channels.values()].find((c) => c.name === name);
    return channel ? storedCopy(channel) : null;
  }

  async findById(id: string): Promise<Channel | null> {
    const channel = this.channels.get(id);
    return channel ? storedCopy(channel) : null;
  }

  async save(channel: Channel): Promise<Channel> {
    if (this.failSave) throw this.failSave;
    refuseDuplicate(this.channels.values(), channel, 'name', 'channels');
    this.channels.set(channel.id, storedCopy(channel));
    return channel;
  }

  async delete(id: string): Promise<boolean> {
    return this.channels.delete(id);
  }

  async setApiKeyHint(id: string, sealed: string, hint: string | null): Promise<boolean> {
    const channel = this.channels.get(id);
    if (!channel || channel.apiKeyEncrypted !== sealed) return false;
    this.channels.set(id, { ...channel, apiKeyHint: hint });
    return true;
  }
}
