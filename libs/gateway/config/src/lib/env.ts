import { z } from 'zod';
import { formatIssues } from './format-issues';
import { checkOidcEnv, oidcEnvFields } from './oidc-env';

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

const baseEnvSchema = z.object({
  NODE_ENV: z.string().default('production'),
  HOST: z.string().default('0.0.0.0'),
  PORT: int(3088, 0),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave it unset for the embedded SQLite store)')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
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
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  MAX_BODY_BYTES: int(20 * 1024 * 1024, 1024),
  SHUTDOWN_TIMEOUT_MS: int(30_000, 0),
  LOG_FLUSH_INTERVAL_MS: int(1_000, 10),
  LOG_BATCH_SIZE: int(500, 1),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  UPSTREAM_CONNECT_TIMEOUT_MS: int(10_000, 1),
  UPSTREAM_FIRST_BYTE_TIMEOUT_MS: int(300_000, 1),
  UPSTREAM_TOTAL_TIMEOUT_MS: int(600_000, 1),
  UPSTREAM_CONNECTIONS: int(256, 1),
  ROUTING_FAILURE_THRESHOLD: int(5, 1),
  ROUTING_FAILURE_WINDOW_MS: int(60_000, 1),
  ROUTING_COOLDOWN_MS: int(30_000, 1),
  ROUTING_SYNC_INTERVAL_MS: int(500, 50),
  HEALTH_CHECK_INTERVAL_MS: int(30_000, 0),
  HEALTH_CHECK_TIMEOUT_MS: int(5_000, 1),
  // Requests per minute per client address on the admin routes (/api/auth/*, /graphql); 0: no limit.
  ADMIN_RATE_LIMIT_PER_MINUTE: int(600, 0),
  // What a request to /graphql may send, checked before anything is parsed or run (docs/admin-api.md#limits).
  GRAPHQL_MAX_BODY_BYTES: int(64 * 1024, 1024),
  GRAPHQL_MAX_UNAUTHENTICATED_BYTES: int(2 * 1024, 256),
  GRAPHQL_MAX_TOKENS: int(2_000, 100),
  GRAPHQL_MAX_ALIASES: int(50, 0),
  GRAPHQL_MAX_DEPTH: int(10, 2),
  GRAPHQL_MAX_COST: int(10_000, 10),
  TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

const envSchema = baseEnvSchema.extend(oidcEnvFields).superRefine(checkOidcEnv);

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
