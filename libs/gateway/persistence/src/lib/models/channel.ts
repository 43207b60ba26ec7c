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
  /**
   * The key's last characters (`…abcd`, see `secretHint`), kept beside the ciphertext so that
   * reads never decrypt; null when there is no key, or for a row saved before the hint existed.
   */
  apiKeyHint: string | null;
  models: string[];
  enabled: boolean;
  /** Extra upstream headers; each value sealed under the master key like the API key (names in clear). */
  headers: Record<string, string>;
  timeouts: ChannelTimeouts;
  createdAt: Date;
  updatedAt: Date;
}
