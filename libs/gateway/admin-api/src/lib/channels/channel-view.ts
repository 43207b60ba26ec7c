import type { Channel as StoredChannel } from '@synapse/gateway/persistence';
import type { Channel } from './models/channel.model';

/**
 * A stored channel as the admin API shows it: never its key or header values. A key stored
 * without a hint (before the gateway's first start with hints) shows as '…'.
 */
export function toChannelView(channel: StoredChannel): Channel {
  return {
    id: channel.id,
    name: channel.name,
    type: channel.type,
    baseUrl: channel.baseUrl,
    apiKeyHint: channel.apiKeyEncrypted ? (channel.apiKeyHint ?? '…') : null,
    models: channel.models,
    enabled: channel.enabled,
    headerNames: Object.keys(channel.headers),
    timeouts: {
      connectMs: channel.timeouts.connectMs ?? null,
      firstByteMs: channel.timeouts.firstByteMs ?? null,
      totalMs: channel.timeouts.totalMs ?? null,
    },
    createdAt: channel.createdAt,
    updatedAt: channel.updatedAt,
  };
}
