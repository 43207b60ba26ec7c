import type { EgressPolicy, UpstreamProxies } from '@synapse/gateway/config';
import { Pool, type Dispatcher } from 'undici';
import { outboundConnector } from './outbound-connector';
import { UpstreamFailure } from './upstream-failure';
import type { UpstreamTarget } from './upstream-target';
import { DEFAULT_MAX_ANSWER_BYTES, StreamedCall, WholeBodyCall } from './dispatched-call';

export interface UpstreamRequest {
  target: UpstreamTarget;
  /** Path below the channel's base URL, e.g. `/chat/completions`. */
  path: string;
  headers: Record<string, string>;
  /** Absent for a GET. */
  body: string | Buffer | undefined;
  /** POST unless said (a pass-through of another API's GET and DELETE calls). */
  method?: 'POST' | 'GET' | 'DELETE';
  /**
   * The answer is read whole before it is handed over (anything but a stream): `response` settles
   * once the body is in, and a failure while it arrives fails `response`. Otherwise `response`
   * settles with the headers and the body is read as it arrives.
   */
  whole?: boolean;
}

/** What the relays read of an answer: one read whole already, one read as it arrives, or a translation. */
export interface UpstreamBody extends AsyncIterable<Buffer | Uint8Array> {
  /** The answer's bytes when it was read whole already (no await, no copy); absent otherwise. */
  readonly whole?: Buffer;
  /** The first bytes not read yet, left to be read (undefined at the end): a look at what the answer is. */
  peek?(): Promise<Buffer | undefined>;
  /** The whole answer; where it was read whole already, its bytes as received (no copy). */
  bytes(): Promise<Buffer>;
  text(): Promise<string>;
  dump(): Promise<void>;
}

export interface UpstreamResponse {
  statusCode: number;
  headers: Dispatcher.ResponseData['headers'];
  body: UpstreamBody;
  /** One header's first value (lower-case name) without parsing them all, where the response can. */
  header?(name: string): string | undefined;
}

/**
 * What a health check reads of its answer at most: its status and type tell all it needs, and a
 * model list can run to megabytes (OpenRouter's), which every check would download in full, and
 * could not within its timeout on a slow link.
 */
export const PROBE_READ_BYTES = 64 * 1024;

/** What a health check's GET got. */
export interface ProbeAnswer {
  status: number;
  /** Answered with an HTML page: a website, not the API (a base URL without its `/v1`). */
  webPage: boolean;
  /** An error answer's text (its first PROBE_READ_BYTES at most), for what it says of the channel's key. */
  errorText?: string;
}

/** One in-flight upstream call: its response, and the means to end it early. */
export interface UpstreamCall {
  readonly response: Promise<UpstreamResponse>;
  /** Cancels the call (the caller went away); a pending or streaming body fails with this reason. */
  abort(failure: UpstreamFailure): void;
  /** Stops the total-time timer once the body has been read. */
  finish(): void;
  /** Maps an error raised while reading the body to what the caller should be told. */
  classify(error: unknown): UpstreamFailure;
}

/** A channel's base URL as calls use it: the query (without `?`) goes on every call, empty for none. */
interface BaseUrl {
  origin: string;
  path: string;
  query: string;
}

/**
 * A call's path with the base URL's query parameters added, those the path sets itself left as
 * the path has them (an adapter's `api-version`, Gemini's `alt`).
 */
export function withQuery(path: string, query: string): string {
  const at = path.indexOf('?');
  if (at < 0) return `${path}?${query}`;
  const params = new URLSearchParams(path.slice(at + 1));
  for (const [name, value] of new URLSearchParams(query)) if (!params.has(name)) params.append(name, value);
  return `${path.slice(0, at)}?${params}`;
}

interface PoolEntry {
  pool: Pool;
  key: string;
}

/**
 * Keep-alive connection pools, one per channel, reused by every request to that channel.
 * Per-channel pools let each channel keep its own connect timeout and connection cap. Every new
 * connection (calls and health probes alike) dials only addresses the egress policy allows.
 */
export class UpstreamClient {
  private readonly pools = new Map<string, PoolEntry>();
  private readonly bases = new WeakMap<UpstreamTarget, BaseUrl>();

  constructor(
    private readonly options: {
      connections: number;
      egress: EgressPolicy;
      maxAnswerBytes?: number;
      /** Forward proxies (HTTPS_PROXY, HTTP_PROXY, NO_PROXY); none: every call goes direct. */
      proxies?: UpstreamProxies;
    },
  ) {}

  call(request: UpstreamRequest): UpstreamCall {
    const { target } = request;
    const base = this.baseOf(target);
    const pool = this.poolFor(target, base.origin);
    const options: Dispatcher.DispatchOptions = {
      path: base.query ? withQuery(base.path + request.path, base.query) : base.path + request.path,
      method: request.method ?? 'POST',
      headers: request.headers,
      body: request.body,
      headersTimeout: target.timeouts.firstByteMs,
      bodyTimeout: target.timeouts.firstByteMs,
    };
    const { totalMs } = target.timeouts;
    const maxBytes = this.options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
    return request.whole
      ? new WholeBodyCall(pool, options, totalMs, maxBytes)
      : new StreamedCall(pool, options, totalMs, maxBytes);
  }

  /**
   * A GET for health checks (e.g. `/models`): the status code and whether a web page answered, or
   * the failure. A call like any other (the same resend on a closed kept-alive connection, the same
   * failures), bounded by `timeoutMs` in all. Only the first PROBE_READ_BYTES of the answer are read:
   * past them the call ends (its connection with it).
   */
  async probe(
    target: UpstreamTarget,
    path: string,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<ProbeAnswer> {
    const call = this.call({
      target: { ...target, timeouts: { ...target.timeouts, totalMs: timeoutMs } },
      path,
      headers,
      body: undefined,
      method: 'GET',
      whole: false,
    });
    const response = await call.response;
    const type = response.header?.('content-type') ?? '';
    const failed = response.statusCode >= 400;
    const kept: Uint8Array[] = [];
    try {
      let read = 0;
      for await (const chunk of response.body) {
        if (failed) kept.push(chunk);
        // Leaving the loop early ends the call.
        if ((read += chunk.length) > PROBE_READ_BYTES) break;
      }
    } finally {
      call.finish();
    }
    const webPage = type.toLowerCase().includes('text/html');
    if (!failed) return { status: response.statusCode, webPage };
    const errorText = Buffer.concat(kept).subarray(0, PROBE_READ_BYTES).toString('utf8');
    return { status: response.statusCode, webPage, errorText };
  }

  /** Closes pools of channels that no longer exist or whose address changed. */
  retain(targets: readonly UpstreamTarget[]): void {
    const wanted = new Set(targets.map((t) => this.poolKey(t, new URL(t.baseUrl).origin)));
    for (const [channelId, entry] of this.pools) {
      if (!wanted.has(entry.key)) {
        this.pools.delete(channelId);
        void entry.pool.close();
      }
    }
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((entry) => entry.pool.close()));
  }

  /** Parsed once per target: URL parsing showed up in the per-request profile. */
  private baseOf(target: UpstreamTarget): BaseUrl {
    let base = this.bases.get(target);
    if (!base) {
      const url = new URL(target.baseUrl);
      base = { origin: url.origin, path: url.pathname.replace(/\/$/, ''), query: url.search.slice(1) };
      this.bases.set(target, base);
    }
    return base;
  }

  private poolKey(target: UpstreamTarget, origin: string): string {
    return `${target.channelId}|${origin}|${target.timeouts.connectMs}`;
  }

  private poolFor(target: UpstreamTarget, origin: string): Pool {
    const key = this.poolKey(target, origin);
    const existing = this.pools.get(target.channelId);
    if (existing?.key === key) return existing.pool;
    if (existing) void existing.pool.close();
    const { egress, proxies } = this.options;
    const pool = new Pool(origin, {
      connections: this.options.connections,
      keepAliveTimeout: 30_000,
      connect: outboundConnector(egress, proxies, { timeout: target.timeouts.connectMs }),
    });
    this.pools.set(target.channelId, { pool, key });
    return pool;
  }
}
