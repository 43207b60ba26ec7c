import type { Channel } from '@synapse/gateway/persistence';

/** A stored channel for the specs of routes and channels. */
export function fakeChannel(name: string, overrides: Partial<Channel> = {}): Channel {
  const at = new Date('2030-01-01T00:00:00Z');
  return {
    id: `id-${name}`,
    name,
    type: 'openai',
    baseUrl: `http://${name}.test/v1`,
    apiKeyEncrypted: null,
    apiKeyHint: null,
    models: [],
    enabled: true,
    headers: {},
    timeouts: {},
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}
