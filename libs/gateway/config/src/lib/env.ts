import { z } from 'zod';
import { DEFAULT_SESSION_MAX_AGE_HOURS, passwordSchema } from './account-policy';
import { parseCidr } from './cidr';
import { PRIVATE_NETWORKS } from './egress-policy';
import { formatIssues } from './format-issues';
import { logEnvFields } from './log-env';
import { checkOidcEnv, oidcEnvFields } from './oidc-env';
import { timerMs } from './timer-ms';
import { upstreamProxyEnvFields } from './upstream-proxy';

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
/** Milliseconds, held to what Node's timers keep (MAX_TIMER_MS). */
const ms = (fallback: number, min = 0) => z.coerce.number().pipe(timerMs(min)).default(fallback);

/** Names for the ranges a reverse proxy usually sits in, so that compose networks need no fixed address. */
const NAMED_NETWORKS: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** A comma-separated list of CIDR blocks or network names, expanded to blocks. */
const cidrList = z
  .string()
  .default('')
  .transform((list, context) => {
    const blocks: string[] = [];
    for (const entry of list
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)) {
      const name = entry.toLowerCase();
      const named = Object.hasOwn(NAMED_NETWORKS, name) ? NAMED_NETWORKS[name] : undefined;
      if (named) blocks.push(...named);
      else if (parseCidr(entry)) blocks.push(entry);
      else
        context.addIssue({
          code: 'custom',
          message: `'${entry}' is not a CIDR block, an address, 'loopback' or 'private'`,
        });
    }
    return blocks;
  });

/** A comma-separated list of browser origins (`https://app.example.com`), or `*` for any. */
const originList = z
  .string()
  .default('')
  .transform((list, context) => {
    const origins = list
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    for (const origin of origins) {
      if (origin === '*' || (URL.canParse(origin) && new URL(origin).origin === origin)) continue;
      context.addIssue({
        code: 'custom',
        message: `'${origin}' is not an origin (scheme://host[:port], no path) or *`,
      });
    }
    return origins;
  });

/** An empty value reads as absent. */
const unsetWhenEmpty = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema);

/** true/false, 1/0, yes/no, on/off. */
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { error: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

const baseEnvSchema = z.object({
  NODE_ENV: z.string().default('production'),
  HOST: z.string().default('0.0.0.0'),
  PORT: int(3088, 0),
  DATA_DIR: z.string().default('./data'),
  // Empty counts as unset: compose files pass `${DATABASE_URL:-}` through.
  DATABASE_URL: unsetWhenEmpty(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave it unset for the embedded SQLite store)')
      .optional(),
  ),
  REDIS_URL: unsetWhenEmpty(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
  ),
  SYNAPSE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // Earlier master secrets, still accepted for reading while a rotation is under way.
  SYNAPSE_SECRET_PREVIOUS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((secret) => secret.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(32, 'must be at least 32 characters'))),
  SYNAPSE_CONFIG: z.string().optional(),
  ADMIN_EMAIL: z.email('must be an email address').default('admin@synapsehub.local'),
  ADMIN_PASSWORD: passwordSchema.optional(),
  // Hours from a sign-in after which its session ends, however often it is refreshed.
  SESSION_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(8760).default(DEFAULT_SESSION_MAX_AGE_HOURS),
  MAX_BODY_BYTES: int(20 * 1024 * 1024, 1024),
  SHUTDOWN_TIMEOUT_MS: ms(30_000, 0),
  LOG_FLUSH_INTERVAL_MS: ms(1_000, 10),
  LOG_BATCH_SIZE: int(500, 1),
  // Request-log entries held in memory while the database is down; past this they wait on disk
  // (DATA_DIR/request-log-spill) until it is back (docs/deployment.md#faults).
  REQUEST_LOG_MAX_QUEUED: int(100_000, 2),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  UPSTREAM_CONNECT_TIMEOUT_MS: ms(10_000, 1),
  UPSTREAM_FIRST_BYTE_TIMEOUT_MS: ms(300_000, 1),
  UPSTREAM_TOTAL_TIMEOUT_MS: ms(600_000, 1),
  UPSTREAM_CONNECTIONS: int(256, 1),
  // Largest upstream answer read whole (anything but a stream's events); larger: 502, the call ended.
  MAX_ANSWER_BYTES: int(256 * 1024 * 1024, 1024),
  // Overload (docs/deployment.md#overload): past these the gateway answers 503 with Retry-After at
  // once instead of queueing. Calls in flight on one replica, and upstream calls in flight per
  // channel (a full channel is passed over for the route's other targets); 0: no cap.
  MAX_IN_FLIGHT_CALLS: int(4_096, 0),
  UPSTREAM_MAX_IN_FLIGHT_PER_CHANNEL: int(1_024, 0),
  // Gateway-backed Dify streams send `event: ping` this often, as Dify does (every 10 s).
  DIFY_PING_INTERVAL_MS: ms(10_000, 100),
  // Private and loopback ranges channels may point at (CIDRs, comma-separated); `none`: no private destination.
  UPSTREAM_ALLOWED_PRIVATE_CIDRS: z
    .string()
    .default(PRIVATE_NETWORKS.join(','))
    .transform((list) =>
      list.trim().toLowerCase() === 'none'
        ? []
        : list
            .split(',')
            .map((entry) => entry.trim())
            .filter(Boolean),
    )
    .pipe(z.array(z.string().refine((entry) => parseCidr(entry) !== null, 'must be a CIDR block, e.g. 10.0.0.0/8'))),
  // With REDIS_URL, while Redis is unreachable: count limits on each replica alone (open) or refuse
  // calls that have limits with 503 (closed). Calls without limits are served either way.
  LIMITS_WHEN_REDIS_DOWN: z.enum(['open', 'closed']).default('open'),
  ROUTING_FAILURE_THRESHOLD: int(5, 1),
  ROUTING_FAILURE_WINDOW_MS: ms(60_000, 1),
  ROUTING_COOLDOWN_MS: ms(30_000, 1),
  ROUTING_SYNC_INTERVAL_MS: ms(500, 50),
  HEALTH_CHECK_INTERVAL_MS: ms(30_000, 0),
  HEALTH_CHECK_TIMEOUT_MS: ms(5_000, 1),
  // Usage rollups (docs/usage-and-cost.md): how often the job runs (0: never), and how far back each run recomputes.
  USAGE_ROLLUP_INTERVAL_MS: ms(60_000, 0),
  USAGE_ROLLUP_LAG_MS: ms(300_000, 0),
  // How far back the hourly re-check counts the log against the rollups, for rows written later than the lag (0: never).
  USAGE_ROLLUP_RECHECK_HOURS: int(24, 0),
  // Between two evaluations of the alert rules (docs/alerts.md); 0: this replica evaluates none.
  ALERT_EVALUATION_INTERVAL_MS: ms(30_000, 0),
  // Memory for the minutes kept of latency and ttft rules' windows (docs/alerts.md); past it a rule reads its window whole.
  ALERT_KEPT_MINUTES_MB: int(64, 1),
  // Requests per minute per client address on the admin routes (/api/auth/*, /graphql); 0: no limit.
  ADMIN_RATE_LIMIT_PER_MINUTE: int(600, 0),
  // What a request to /graphql may send, checked before anything is parsed or run (docs/admin-api.md#limits).
  GRAPHQL_MAX_BODY_BYTES: int(64 * 1024, 1024),
  GRAPHQL_MAX_UNAUTHENTICATED_BYTES: int(2 * 1024, 256),
  GRAPHQL_MAX_TOKENS: int(2_000, 100),
  GRAPHQL_MAX_ALIASES: int(50, 0),
  GRAPHQL_MAX_DEPTH: int(10, 2),
  GRAPHQL_MAX_COST: int(10_000, 10),
  // Requests per minute per client address that /v1 answers without a valid key before it answers 429; 0: no limit.
  UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: int(120, 0),
  // Reverse proxies whose X-Forwarded-For is believed (CIDRs, 'loopback', 'private'); none by default.
  TRUSTED_PROXIES: cidrList,
  // Browsers' cross-origin calls to /v1 (docs/security.md#browsers): none unless listed.
  CORS_ORIGINS: originList,
  // The boolean that trusted any peer's X-Forwarded-For; refused so that an upgrade cannot keep it silently.
  TRUST_PROXY: z
    .never({
      error: 'was replaced by TRUSTED_PROXIES (the addresses of your reverse proxies, e.g. 10.0.0.0/8 or loopback)',
    })
    .optional(),
  // Caps on one /v1 call's output, under any key's own (limits.maxChoicesPerCall, maxTokensPerCall); 0 tokens: none.
  MAX_CHOICES_PER_CALL: int(16, 1),
  MAX_TOKENS_PER_CALL: int(0, 0),
  // Node's HTTP server, set explicitly rather than left to Node's defaults.
  HTTP_HEADERS_TIMEOUT_MS: ms(30_000, 100),
  HTTP_REQUEST_TIMEOUT_MS: ms(120_000, 100),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: ms(65_000, 100),
  HTTP_MAX_CONNECTIONS: int(10_000, 1),
  // Live monitoring and Prometheus (docs/monitoring.md): off, the hot path skips them entirely.
  METRICS_ENABLED: flag(true),
  // /metrics answers only when one of these is set (both set: both are required).
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  METRICS_ALLOW: cidrList,
  // Also label Prometheus series by gateway key and user (one series per key: mind the cardinality).
  METRICS_KEY_LABELS: flag(false),
  // How often replicas share live windows through Redis, and how often liveMetrics subscriptions push.
  LIVE_METRICS_SHARE_INTERVAL_MS: ms(2_000, 200),
  LIVE_METRICS_PUSH_INTERVAL_MS: ms(5_000, 1_000),
  // GraphQL subscriptions over WebSocket (graphql-ws at /graphql): open connections at most, per
  // replica, and how long a new one has to authenticate (connection_init) before it is closed.
  GRAPHQL_WS_MAX_CONNECTIONS: int(200, 0),
  GRAPHQL_WS_AUTH_TIMEOUT_MS: ms(5_000, 100),
});

const envSchema = baseEnvSchema
  .extend(oidcEnvFields)
  .extend(logEnvFields)
  .extend(upstreamProxyEnvFields)
  .superRefine(checkOidcEnv);

export type GatewayEnv = z.infer<typeof envSchema>;

/** Reads and validates the process environment once at boot; a bad value stops the start. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): GatewayEnv {
  const blanksRemoved = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(blanksRemoved);
  if (!parsed.success) {
    throw new Error(`Invalid environment:\n${formatIssues(parsed.error.issues).join('\n')}`);
  }
  return parsed.data;
}
