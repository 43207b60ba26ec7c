import type { ChannelType } from '@synapse/gateway/config';

export type { Endpoint } from '@synapse/endpoints';

export interface Timeouts {
  connectMs: number;
  firstByteMs: number;
  totalMs: number;
}

/** A channel as the hot path sees it: decrypted key in memory, timeouts resolved. */
export interface UpstreamTarget {
  channelId: string;
  channelName: string;
  type: ChannelType;
  baseUrl: string;
  apiKey: string | null;
  headers: Readonly<Record<string, string>>;
  /** The key and header values in every form redaction looks for, computed once per catalog snapshot. */
  secrets: readonly string[];
  timeouts: Timeouts;
}
