import { isBuiltInRole, permissionRuleProblems, unenforcedProblems, type PermissionRule } from '@synapse/rbac';
import { z } from 'zod';
import { passwordSchema } from './account-policy';
import { alertRuleSchema, notificationChannelSchema } from './alerts-config.schema';
import { parseCidr } from './cidr';
import { API_KEY, API_KEY_PROBLEM, channelHeaderProblems } from './http-header-rules';
import { timerMs } from './timer-ms';
import { ENDPOINTS, isEndpoint } from '@synapse/endpoints';

export const ROLES = ['owner', 'admin', 'operator', 'auditor', 'member'] as const;
export type RoleName = (typeof ROLES)[number];

export const CHANNEL_TYPES = ['openai', 'anthropic', 'dify', 'azure', 'ollama', 'gemini'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

const name = z
  .string({ error: 'is required' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, dots, dashes or underscores');

function parsedUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * An upstream's base URL. Its query goes on every call (`?api-version=`); a user name or password
 * in it would not: calls carry no URL credentials, and a base URL is shown in the clear (console,
 * audit trail), unlike the key and the headers, which are kept sealed.
 */
const baseUrl = z
  .string({ error: 'is required' })
  .refine((value) => {
    const url = parsedUrl(value);
    return url?.protocol === 'http:' || url?.protocol === 'https:';
  }, 'must be an http(s) URL')
  .refine((value) => {
    const url = parsedUrl(value);
    return !url || (url.username === '' && url.password === '');
  }, 'must not hold a user name or password: give the key as apiKey, or in headers, which are kept sealed');

/** Any text but control characters: a public name with a NUL or a line break in it is a slip. */
const modelName = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'is too long')
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses.
  .regex(/^[^\x00-\x1f\x7f]*$/, 'must not contain control characters');
const positiveMs = timerMs(1);

export const channelSchema = z.strictObject({
  name,
  type: z.enum(CHANNEL_TYPES, { error: `must be one of: ${CHANNEL_TYPES.join(', ')}` }).default('openai'),
  baseUrl,
  // Trimmed: a key read from an environment variable or a file often ends with a line break.
  apiKey: z.string().trim().min(1, 'must not be empty').regex(API_KEY, API_KEY_PROBLEM).optional(),
  models: z.array(modelName, { error: 'must be a list of model names' }).min(1, 'must list at least one model'),
  enabled: z.boolean().default(true),
  headers: z
    .record(z.string(), z.string())
    .superRefine((headers, context) => {
      for (const { name, field, message } of channelHeaderProblems(Object.entries(headers))) {
        context.addIssue({
          code: 'custom',
          path: [name],
          message: field === 'value' ? `the value ${message}` : message,
        });
      }
    })
    .optional(),
  timeouts: z
    .strictObject({
      connectMs: positiveMs.optional(),
      firstByteMs: positiveMs.optional(),
      totalMs: positiveMs.optional(),
    })
    .optional(),
});

const modelPattern = z.string().min(1, 'must not be empty');

const endpointName = z.string().superRefine((value, ctx) => {
  if (!isEndpoint(value))
    ctx.addIssue({ code: 'custom', message: `'${value}' is not one of: ${ENDPOINTS.join(', ')}` });
});

const cidr = z.string().superRefine((value, ctx) => {
  if (!parseCidr(value)) ctx.addIssue({ code: 'custom', message: `'${value}' is not a valid CIDR` });
});

/** Endpoints and CIDR allow-lists of a key: the same rules in the config file and the admin API. */
export const keyEndpointsSchema = z
  .array(endpointName, { error: 'must be a list of endpoints' })
  .min(1, 'must list at least one endpoint (leave it out for all)');
const limit = z.number().int('must be a whole number').positive('must be positive');
const budget = z.number({ error: 'must be a number of USD' }).positive('must be positive');
/** Limits of a key, a user or a team: the same shape for all. */
export const keyLimitsSchema = z.strictObject({
  rpm: limit.optional(),
  tpm: limit.optional(),
  concurrency: limit.optional(),
  dailyBudgetUsd: budget.optional(),
  monthlyBudgetUsd: budget.optional(),
  maxTokensPerCall: limit.optional(),
  maxChoicesPerCall: limit.optional(),
});

const usd = z.number({ error: 'must be a number of USD' }).min(0, 'must not be negative');

/** The parts of a price that may be left out (null or undefined: not given). */
interface PriceParts {
  input?: number | null;
  output?: number | null;
  perCall?: number | null;
  perMinute?: number | null;
  perMillionCharacters?: number | null;
}
const given = (value: number | null | undefined) => value !== undefined && value !== null;
/** Why a price that charges nothing is refused, in the config file and the admin API alike. */
export const NOTHING_PRICED =
  'give input and output (USD per million tokens), or perCall, perMinute or perMillionCharacters';
/** Whether a price charges something: both token prices, or a price per call, minute or characters. */
export function pricesSomething(price: PriceParts): boolean {
  return (
    (given(price.input) && given(price.output)) ||
    given(price.perCall) ||
    given(price.perMinute) ||
    given(price.perMillionCharacters)
  );
}
/**
 * USD per million tokens of a model (or a glob of models); for what is not billed by tokens, per
 * call, per minute of audio or per million characters. Token prices left out are 0 when another
 * part is given (`whisper-1: { perMinute: 0.006 }`).
 */
export const modelPriceSchema = z
  .strictObject({
    input: usd.optional(),
    output: usd.optional(),
    /** Prompt tokens served from the upstream's cache; left out: the input price. */
    cachedInput: usd.optional(),
    perCall: usd.optional(),
    perMinute: usd.optional(),
    perMillionCharacters: usd.optional(),
  })
  .refine(pricesSomething, { message: NOTHING_PRICED })
  .transform(({ input, output, ...rest }) => ({ input: input ?? 0, output: output ?? 0, ...rest }));
export type ModelPrice = z.infer<typeof modelPriceSchema>;

export const ipAllowSchema = z
  .array(cidr, { error: 'must be a list of CIDR blocks' })
  .min(1, 'must list at least one CIDR block (leave it out for any address)');

export const keySchema = z.strictObject({
  name,
  key: z
    .string()
    .regex(/^sk-[A-Za-z0-9_-]{20,}$/, "must start with 'sk-' followed by at least 20 letters, digits, '-' or '_'")
    .optional(),
  models: z.array(modelPattern, { error: 'must be a list of model names or patterns' }).default(['*']),
  endpoints: keyEndpointsSchema.optional(),
  ipAllow: ipAllowSchema.optional(),
  limits: keyLimitsSchema.optional(),
  enabled: z.boolean().default(true),
  expiresAt: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z' })
    .optional(),
  user: z.email('must be the email of a user').optional(),
  /** The owning team (declared under `teams`), instead of a user. */
  team: name.optional(),
  /** Store the request and response bodies of this key's calls (docs/logs.md#body-capture). */
  captureBodies: z.boolean().default(false),
});

export const userSchema = z.strictObject({
  email: z.email('must be an email address'),
  name: z.string().optional(),
  /** A built-in role, or a custom role declared under `roles` (checked with the whole file). */
  role: z.string().min(1, 'must name a role').default('member'),
  password: passwordSchema.optional(),
  limits: keyLimitsSchema.optional(),
});

/** A custom role: its rules are CASL rules as data, checked by @synapse/rbac. */
export const roleSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,31}$/, 'must be 2-32 lower-case letters, digits and dashes, starting with a letter')
    .refine((value) => !isBuiltInRole(value), 'is a built-in role'),
  description: z.string().default(''),
  rules: z.array(z.unknown(), { error: 'must be a list of rules' }).superRefine((rules, ctx) => {
    rules.forEach((rule, index) => {
      const shape = permissionRuleProblems(rule);
      const problems = shape.length ? shape : unenforcedProblems(rule as PermissionRule);
      for (const problem of problems) ctx.addIssue({ code: 'custom', path: [index], message: problem });
    });
  }),
});

/** A team: its members (emails of `users`) and limits on all the team's keys together. */
export const teamSchema = z.strictObject({
  name,
  description: z.string().optional(),
  members: z.array(z.email('must be the email of a user')).default([]),
  limits: keyLimitsSchema.optional(),
});

export const STRATEGIES = ['round-robin', 'random', 'weighted', 'least-latency', 'least-busy', 'priority'] as const;
export const RETRY_REASONS = ['connect', 'timeout', '429', '5xx'] as const;

const positiveInt = z.number().int('must be a whole number').positive('must be positive');

export const routeTargetSchema = z.strictObject({
  channel: name,
  /** Upstream model name; '*' forwards the requested name (pattern routes). Default: the route's name. */
  model: modelName.optional(),
  weight: z.number().positive('must be positive').default(1),
  priority: z.number().int('must be a whole number').default(0),
  rpm: positiveInt.optional(),
  tpm: positiveInt.optional(),
});

export const routeSchema = z.strictObject({
  name: modelName,
  strategy: z.enum(STRATEGIES, { error: `must be one of: ${STRATEGIES.join(', ')}` }).default('round-robin'),
  targets: z.array(routeTargetSchema).min(1, 'must list at least one target'),
  fallbacks: z.array(modelName).default([]),
  aliases: z.array(modelName).default([]),
  retry: z
    .strictObject({
      attempts: z
        .number()
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(10, 'must be at most 10')
        .optional(),
      retryOn: z.array(z.enum(RETRY_REASONS, { error: `must be one of: ${RETRY_REASONS.join(', ')}` })).optional(),
      backoffMs: timerMs(0).optional(),
      maxBackoffMs: timerMs(0).optional(),
      maxRetryAfterMs: timerMs(0).optional(),
    })
    .optional(),
  /** Store the request and response bodies of calls to this route (docs/logs.md#body-capture). */
  captureBodies: z.boolean().default(false),
});

export const configFileSchema = z
  .strictObject({
    channels: z.array(channelSchema).default([]),
    routes: z.array(routeSchema).default([]),
    keys: z.array(keySchema).default([]),
    users: z.array(userSchema).default([]),
    roles: z.array(roleSchema).default([]),
    teams: z.array(teamSchema).default([]),
    /** Model name or glob (`gpt-4o*`) to its price; an exact name wins over a glob, a longer glob over a shorter. */
    prices: z.record(modelName, modelPriceSchema).default({}),
    /** Calls to models without a price, by keys or users with a budget: allowed (uncounted) or refused. */
    unpricedModels: z.enum(['allow', 'deny'], { error: 'must be allow or deny' }).default('allow'),
    /** Where alerts are sent (docs/alerts.md); secrets may be `${ENV}` references. */
    notificationChannels: z.array(notificationChannelSchema).default([]),
    /** Alert rules (docs/alerts.md); `notify` names notificationChannels. */
    alerts: z.array(alertRuleSchema).default([]),
  })
  .superRefine((config, ctx) => {
    const unique = (list: readonly { [k: string]: unknown }[], field: string, section: string) => {
      const seen = new Set<unknown>();
      list.forEach((item, index) => {
        const value = item[field];
        if (seen.has(value)) {
          ctx.addIssue({ code: 'custom', path: [section, index, field], message: `duplicate ${field} '${value}'` });
        }
        seen.add(value);
      });
    };
    unique(config.channels, 'name', 'channels');
    unique(config.keys, 'name', 'keys');
    unique(config.users, 'email', 'users');
    unique(config.routes, 'name', 'routes');
    unique(config.roles, 'name', 'roles');
    unique(config.teams, 'name', 'teams');
    unique(config.notificationChannels, 'name', 'notificationChannels');
    unique(config.alerts, 'name', 'alerts');
    const notificationChannels = new Set(config.notificationChannels.map((c) => c.name));
    config.alerts.forEach((rule, index) => {
      rule.notify.forEach((channel, n) => {
        if (!notificationChannels.has(channel)) {
          ctx.addIssue({
            code: 'custom',
            path: ['alerts', index, 'notify', n],
            message: `no notification channel '${channel}' in notificationChannels`,
          });
        }
      });
    });
    const emails = new Set(config.users.map((u) => u.email));
    const teams = new Set(config.teams.map((t) => t.name));
    const roles = new Set<string>([...ROLES, ...config.roles.map((r) => r.name)]);
    config.keys.forEach((key, index) => {
      if (key.user && !emails.has(key.user)) {
        ctx.addIssue({ code: 'custom', path: ['keys', index, 'user'], message: `no user '${key.user}' in users` });
      }
      if (key.team && !teams.has(key.team)) {
        ctx.addIssue({ code: 'custom', path: ['keys', index, 'team'], message: `no team '${key.team}' in teams` });
      }
      if (key.user && key.team) {
        ctx.addIssue({ code: 'custom', path: ['keys', index], message: 'a key belongs to a user or a team, not both' });
      }
    });
    config.users.forEach((user, index) => {
      if (!roles.has(user.role)) {
        ctx.addIssue({
          code: 'custom',
          path: ['users', index, 'role'],
          message: `must be one of: ${ROLES.join(', ')}, or a role declared under roles`,
        });
      }
    });
    config.teams.forEach((team, index) => {
      team.members.forEach((email, m) => {
        if (!emails.has(email)) {
          ctx.addIssue({
            code: 'custom',
            path: ['teams', index, 'members', m],
            message: `no user '${email}' in users`,
          });
        }
      });
    });
  });

export type ConfigFile = z.infer<typeof configFileSchema>;
export type RouteConfig = z.infer<typeof routeSchema>;

/** A target's upstream model when it names none: the route's name, or the requested name ('*') for a pattern route. */
export function defaultTargetModel(routeName: string, model: string | undefined): string {
  return model ?? (routeName.includes('*') ? '*' : routeName);
}
export type ChannelConfig = z.infer<typeof channelSchema>;
export type KeyConfig = z.infer<typeof keySchema>;
export type UserConfig = z.infer<typeof userSchema>;
export type RoleConfig = z.infer<typeof roleSchema>;
export type TeamConfig = z.infer<typeof teamSchema>;
