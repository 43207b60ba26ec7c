/** A public model name (or pattern) and the upstream deployments that serve it. */
export interface RouteTargetRecord {
  channelId: string;
  /** Upstream model name; '*' forwards the requested name. */
  model: string;
  weight: number;
  priority: number;
  rpm?: number;
  tpm?: number;
}

export interface RouteRetryRecord {
  attempts?: number;
  retryOn?: ('connect' | 'timeout' | '429' | '5xx')[];
  backoffMs?: number;
  maxBackoffMs?: number;
  maxRetryAfterMs?: number;
}

export interface Route {
  id: string;
  name: string;
  strategy: 'round-robin' | 'random' | 'weighted' | 'least-latency' | 'least-busy' | 'priority';
  targets: RouteTargetRecord[];
  fallbacks: string[];
  aliases: string[];
  retry: RouteRetryRecord | null;
  /** Whether the request and response bodies of calls to this route are stored; absent: no. */
  captureBodies?: boolean;
  createdAt: Date;
  updatedAt: Date;
}
