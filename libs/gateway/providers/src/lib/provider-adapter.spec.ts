import type { ChannelType } from '@synapse/gateway/config';
import { OpenAICompatibleAdapter } from './openai-compatible.adapter';
import { ProviderRegistry } from './provider-adapter';

describe(ProviderRegistry.name, () => {
  it('finds the adapter registered for a channel type', () => {
    const openai = new OpenAICompatibleAdapter();
    expect(new ProviderRegistry([openai]).get('openai')).toBe(openai);
  });

  it('fails clearly for a channel type nobody registered', () => {
    const registry = new ProviderRegistry([new OpenAICompatibleAdapter()]);
    expect(() => registry.get('anthropic' as ChannelType)).toThrow("no provider adapter for channel type 'anthropic'");
    expect(() => new ProviderRegistry([]).get('openai')).toThrow("no provider adapter for channel type 'openai'");
  });
});
