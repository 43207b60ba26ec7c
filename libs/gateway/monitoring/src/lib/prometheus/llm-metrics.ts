import type { RequestLogEntry } from '@synapse/gateway/persistence';
import { LATENCY_BUCKETS_MS, LATENCY_BUCKET_COUNT, bucketIndex } from '@synapse/metrics';
import { LabelCap } from './label-cap';

/** Distinct values per label before further ones read `other`. */
const MAX_VALUES_PER_LABEL = 500;

const BASE_LABELS = ['model', 'channel', 'route', 'endpoint', 'status_class'] as const;
const KEY_LABELS = ['key', 'user'] as const;

/** Counts of one label combination since the start. */
interface Series {
  labels: Record<string, string>;
  requests: number;
  duration: number[];
  durationSum: number;
  ttft: number[];
  ttftCount: number;
  ttftSum: number;
  promptTokens: number;
  outputTokens: number;
}

/** One value of a metric as prom-client's Registry prints it. */
interface MetricValue {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/** What prom-client's Registry needs of a metric: its name, help, type and values on demand. */
export interface CollectedMetric {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  aggregator: 'sum';
  get(): { name: string; help: string; type: string; aggregator: 'sum'; values: MetricValue[] };
}

const BOUNDS_SECONDS = LATENCY_BUCKETS_MS.map((ms) => ms / 1000);

/**
 * The request counters and histograms `/metrics` exposes, kept by the gateway itself rather than by
 * prom-client's Histogram, whose `observe` builds label objects and hashes on every call: here a
 * call costs one string key, one map look-up and a few additions. Buckets are LATENCY_BUCKETS_MS
 * in seconds. Labels: model, channel, route, endpoint, status class (`2xx`…); key and user only
 * with METRICS_KEY_LABELS. Each label is capped at 500 values (then `other`).
 */
export class LlmMetrics {
  private readonly series = new Map<string, Series>();
  private readonly caps: LabelCap[];
  private readonly labelNames: readonly string[];

  constructor(private readonly keyLabels: boolean) {
    this.labelNames = keyLabels ? [...BASE_LABELS, ...KEY_LABELS] : BASE_LABELS;
    this.caps = this.labelNames.map(() => new LabelCap(MAX_VALUES_PER_LABEL));
  }

  record(entry: RequestLogEntry): void {
    const caps = this.caps;
    const model = caps[0].value(entry.requestedModel ?? 'none');
    const channel = caps[1].value(entry.channelId ?? 'none');
    const route = caps[2].value(entry.routeName ?? 'none');
    const statusClass = STATUS_CLASSES[Math.floor(entry.status / 100)] ?? 'other';
    let id = `${model}\n${channel}\n${route}\n${entry.endpoint}\n${statusClass}`;
    let key = '';
    let user = '';
    if (this.keyLabels) {
      key = caps[5].value(entry.keyId ?? 'none');
      user = caps[6].value(entry.userId ?? 'none');
      id = `${id}\n${key}\n${user}`;
    }
    let series = this.series.get(id);
    if (!series) {
      const values = [model, channel, route, entry.endpoint, statusClass, key, user];
      const labels = Object.fromEntries(this.labelNames.map((name, index) => [name, values[index]]));
      series = {
        labels,
        requests: 0,
        duration: new Array<number>(LATENCY_BUCKET_COUNT).fill(0),
        durationSum: 0,
        ttft: new Array<number>(LATENCY_BUCKET_COUNT).fill(0),
        ttftCount: 0,
        ttftSum: 0,
        promptTokens: 0,
        outputTokens: 0,
      };
      this.series.set(id, series);
    }
    series.requests++;
    series.duration[bucketIndex(entry.latencyMs)]++;
    series.durationSum += entry.latencyMs;
    if (entry.ttftMs !== null) {
      series.ttft[bucketIndex(entry.ttftMs)]++;
      series.ttftCount++;
      series.ttftSum += entry.ttftMs;
    }
    series.promptTokens += entry.promptTokens ?? 0;
    series.outputTokens += entry.completionTokens ?? 0;
  }

  /** The metrics, for `Registry.registerMetric`. */
  metrics(): CollectedMetric[] {
    return [
      this.counter('synapse_requests_total', 'Proxied calls answered.', (s) => s.requests),
      this.histogram(
        'synapse_request_duration_seconds',
        'Time from a proxied call arriving to its answer ending (streams included).',
        (s) => [s.duration, s.durationSum, s.requests],
      ),
      this.histogram(
        'synapse_time_to_first_token_seconds',
        'Time from a streamed call arriving to the first byte streamed back.',
        (s) => [s.ttft, s.ttftSum, s.ttftCount],
      ),
      this.counter('synapse_prompt_tokens_total', 'Prompt tokens of proxied calls.', (s) => s.promptTokens),
      this.counter(
        'synapse_output_tokens_total',
        'Output (completion) tokens of proxied calls.',
        (s) => s.outputTokens,
      ),
    ];
  }

  private counter(name: string, help: string, read: (series: Series) => number): CollectedMetric {
    const get = () => ({
      name,
      help,
      type: 'counter',
      aggregator: 'sum' as const,
      values: [...this.series.values()].map((s) => ({ labels: s.labels, value: read(s) })),
    });
    return { name, help, type: 'counter', aggregator: 'sum', get };
  }

  private histogram(
    name: string,
    help: string,
    read: (series: Series) => [buckets: number[], sumMs: number, count: number],
  ): CollectedMetric {
    const get = () => {
      const values: MetricValue[] = [];
      for (const s of this.series.values()) {
        const [buckets, sumMs, count] = read(s);
        if (count === 0) continue;
        let cumulative = 0;
        for (let i = 0; i < BOUNDS_SECONDS.length; i++) {
          cumulative += buckets[i];
          values.push({
            metricName: `${name}_bucket`,
            labels: { ...s.labels, le: BOUNDS_SECONDS[i] },
            value: cumulative,
          });
        }
        values.push({ metricName: `${name}_bucket`, labels: { ...s.labels, le: '+Inf' }, value: count });
        values.push({ metricName: `${name}_sum`, labels: s.labels, value: sumMs / 1000 });
        values.push({ metricName: `${name}_count`, labels: s.labels, value: count });
      }
      return { name, help, type: 'histogram', aggregator: 'sum' as const, values };
    };
    return { name, help, type: 'histogram', aggregator: 'sum', get };
  }
}

const STATUS_CLASSES: Readonly<Record<number, string>> = { 1: '1xx', 2: '2xx', 3: '3xx', 4: '4xx', 5: '5xx' };
