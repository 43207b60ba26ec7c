import type { RequestLogEntry } from '@synapse/gateway/persistence';
import { Registry, type Metric } from 'prom-client';
import { LlmMetrics } from './llm-metrics';

function entry(overrides: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    id: 'r',
    createdAt: new Date(),
    endpoint: 'chat.completions',
    keyId: 'key-1',
    userId: 'user-1',
    teamId: null,
    requestedModel: 'gpt-4o-mini',
    routeName: 'gpt-4o-mini',
    channelId: 'ch-1',
    upstreamModel: 'gpt-4o-mini',
    attempts: 1,
    stream: false,
    status: 200,
    latencyMs: 120,
    ttftMs: null,
    promptTokens: 10,
    completionTokens: 20,
    totalTokens: 30,
    usageSource: 'upstream',
    costUsd: null,
    errorClass: null,
    errorMessage: null,
    ...overrides,
  };
}

async function render(metrics: LlmMetrics): Promise<string> {
  const registry = new Registry();
  for (const metric of metrics.metrics()) registry.registerMetric(metric as unknown as Metric);
  return registry.metrics();
}

describe(LlmMetrics.name, () => {
  it('prints counters and cumulative histograms in seconds, per model, channel, route, endpoint and status class', async () => {
    const metrics = new LlmMetrics(false);
    metrics.record(entry());
    metrics.record(entry({ latencyMs: 3_000, stream: true, ttftMs: 300 }));
    metrics.record(entry({ status: 502, requestedModel: 'gpt-4o', completionTokens: null }));
    const text = await render(metrics);
    const labels =
      'model="gpt-4o-mini",channel="ch-1",route="gpt-4o-mini",endpoint="chat.completions",status_class="2xx"';
    expect(text).toContain(`synapse_requests_total{${labels}} 2`);
    expect(text).toContain('status_class="5xx"} 1');
    expect(text).toContain(`synapse_request_duration_seconds_bucket{${labels},le="0.1"} 0`);
    expect(text).toContain(`synapse_request_duration_seconds_bucket{${labels},le="0.25"} 1`);
    expect(text).toContain(`synapse_request_duration_seconds_bucket{${labels},le="3"} 2`);
    expect(text).toContain(`synapse_request_duration_seconds_bucket{${labels},le="+Inf"} 2`);
    expect(text).toContain(`synapse_request_duration_seconds_sum{${labels}} 3.12`);
    expect(text).toContain(`synapse_time_to_first_token_seconds_count{${labels}} 1`);
    expect(text).toContain(`synapse_output_tokens_total{${labels}} 40`);
    expect(text).not.toMatch(/key="|user="/);
  });

  it('adds key and user labels only when asked, and caps the values of a label', async () => {
    const withKeys = new LlmMetrics(true);
    withKeys.record(entry());
    expect(await render(withKeys)).toContain('key="key-1",user="user-1"');

    const capped = new LlmMetrics(false);
    for (let i = 0; i < 510; i++) capped.record(entry({ requestedModel: `random-${i}` }));
    const text = await render(capped);
    expect(text.match(/^synapse_requests_total\{/gm)).toHaveLength(501);
    expect(text).toContain('synapse_requests_total{model="other",channel="ch-1"');
  });
});
