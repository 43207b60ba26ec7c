import type { ProviderAdapter } from '../provider-adapter';
import type { UpstreamTarget } from '../upstream-target';
import { AZURE_API_VERSION, AzureOpenAIAdapter } from './azure-openai.adapter';

const target = (baseUrl: string, apiKey: string | null = 'azure-key'): UpstreamTarget => ({
  channelId: 'c1',
  channelName: 'azure',
  type: 'azure',
  baseUrl,
  apiKey,
  headers: { 'x-extra': '1' },
  secrets: [],
  timeouts: { connectMs: 1000, firstByteMs: 1000, totalMs: 1000 },
});

describe(AzureOpenAIAdapter.name, () => {
  const adapter = new AzureOpenAIAdapter();

  it('puts the deployment and the default api-version in the path', () => {
    const t = target('https://res.openai.azure.com');
    expect(adapter.pathFor('chat.completions', 'gpt-4o-prod', t)).toBe(
      `/openai/deployments/gpt-4o-prod/chat/completions?api-version=${AZURE_API_VERSION}`,
    );
    expect(adapter.pathFor('embeddings', 'emb', t)).toBe(
      `/openai/deployments/emb/embeddings?api-version=${AZURE_API_VERSION}`,
    );
    expect(adapter.pathFor('completions', 'a b/c', t)).toBe(
      `/openai/deployments/a%20b%2Fc/completions?api-version=${AZURE_API_VERSION}`,
    );
    expect(adapter.pathFor('completions', 'a\udc00', t)).toBe(
      `/openai/deployments/a%EF%BF%BD/completions?api-version=${AZURE_API_VERSION}`,
    );
  });

  it("takes the api-version from the channel's base URL when it has one", () => {
    const t = target('https://res.openai.azure.com/?api-version=2025-01-01-preview');
    expect(adapter.pathFor('chat.completions', 'd', t)).toBe(
      '/openai/deployments/d/chat/completions?api-version=2025-01-01-preview',
    );
  });

  it('asks for stream usage and sends max_completion_tokens only at api-versions that know them (2024-09-01 on)', () => {
    const at = (version: string) =>
      adapter.streamUsageFor(target(`https://res.openai.azure.com/?api-version=${version}`));
    expect(adapter.streamUsageFor(target('https://res.openai.azure.com'))).toBe(true);
    expect(at('2024-10-21')).toBe(true);
    expect(at('2024-09-01-preview')).toBe(true);
    expect(at('2025-04-01-preview')).toBe(true);
    expect(at('2024-06-01')).toBe(false);
    expect(at('2024-08-01-preview')).toBe(false);
    expect(at('2024-02-15-preview')).toBe(false);
    const knows = (version: string) =>
      adapter.knowsMaxCompletionTokens(target(`https://res.openai.azure.com/?api-version=${version}`));
    expect(knows('2024-09-01-preview')).toBe(true);
    expect(knows('2024-06-01')).toBe(false);
  });

  it('sends the key as api-key, never as a bearer token', () => {
    const headers = adapter.headersFor(target('https://res.openai.azure.com'));
    expect(headers['api-key']).toBe('azure-key');
    expect(headers['authorization']).toBeUndefined();
    expect(headers['x-extra']).toBe('1');
    expect(adapter.headersFor(target('https://res.openai.azure.com', null))['api-key']).toBeUndefined();
  });

  it('supports every endpoint Azure offers, without a translator, and checks health on /openai/models', () => {
    expect(
      adapter.supports('chat.completions') &&
        adapter.supports('embeddings') &&
        adapter.supports('completions') &&
        adapter.supports('images.generations') &&
        adapter.supports('audio.speech'),
    ).toBe(true);
    // Azure filters content inside its deployments: it has no moderations operation.
    expect(adapter.supports('moderations')).toBe(false);
    expect(adapter.supports('rerank')).toBe(false);
    expect(adapter.pathFor('images.generations', 'gpt-image-1', target('https://res.openai.azure.com'))).toBe(
      `/openai/deployments/gpt-image-1/images/generations?api-version=${AZURE_API_VERSION}`,
    );
    expect((adapter as ProviderAdapter).translator).toBeUndefined();
    expect(adapter.healthPath).toBe(`/openai/models?api-version=${AZURE_API_VERSION}`);
    expect(adapter.healthPathFor(target('https://res.openai.azure.com'))).toBe(
      `/openai/models?api-version=${AZURE_API_VERSION}`,
    );
  });

  it("checks health at the channel's own api-version", () => {
    expect(adapter.healthPathFor(target('https://res.openai.azure.com/?api-version=2025-01-01-preview'))).toBe(
      '/openai/models?api-version=2025-01-01-preview',
    );
  });
});
