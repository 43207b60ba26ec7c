import type { Channel } from '../../models/channel';
import { ChannelRepository } from '../../repositories';

export class InMemoryChannelRepository extends ChannelRepository {
  /** By id. */
  readonly channels = new Map<string, Channel>();
  /** Set to make the next save fail, as a lost database would. */
  failSave: Error | undefined;

  async findAll(): Promise<Channel[]> {
    return [...this.channels.values()].sort((a, b) => a.name.localeCompare(b.name)).map(copyChannel);
  }

  async findByName(name: string): Promise<Channel | null> {
    const channel = [...this.channels.values()].find((c) => c.name === name);
    return channel ? copyChannel(channel) : null;
  }

  async findById(id: string): Promise<Channel | null> {
    const channel = this.channels.get(id);
    return channel ? copyChannel(channel) : null;
  }

  async save(channel: Channel): Promise<Channel> {
    if (this.failSave) throw this.failSave;
    const clash = [...this.channels.values()].find((c) => c.name === channel.name && c.id !== channel.id);
    if (clash) throw new Error(`UNIQUE constraint failed: channels.name`);
    this.channels.set(channel.id, copyChannel(channel));
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

/** A copy that the caller may change; not structuredClone, whose Dates fail `instanceof Date` under Jest. */
function copyChannel(channel: Channel): Channel {
  return {
    ...channel,
    models: [...channel.models],
    headers: { ...channel.headers },
    timeouts: { ...channel.timeouts },
  };
}
