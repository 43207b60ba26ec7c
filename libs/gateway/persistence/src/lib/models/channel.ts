import type { ChannelType } from '@synapse/gateway/config';

export interface ChannelTimeouts {
  connectMs?: number;
  firstByteMs?: number;
  totalMs?: number;
}

/** An upstream deployment the gateway forwards to. The API key is stored encrypted, never in clear. */
export interface Channel {
  id: string;
  name: string;
  type: ChannelType;
  baseUrl: string;
  apiKeyEncrypted: string | null;
  models: string[];
  enabled: boolean;
  headers: Record<string, string>;
  timeouts: ChannelTimeouts;
  createdAt: Date;
  updatedAt: Date;
}
