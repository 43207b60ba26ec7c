import { openValues } from '@synapse/crypto';
import type { Channel, GatewayKey, KeyLimits, Route, TargetOverride, Team, User } from '@synapse/gateway/persistence';
import type { Endpoint, Timeouts, UpstreamTarget } from '@synapse/gateway/providers';
import { RouteTable, type RouteDefinition } from '@synapse/routing';
import { secretsToRedact } from '../errors/upstream-error';
import { hasBudget, limitScope, type LimitScope } from '../limits/limit-scope';
import type { CallCaps } from '../pipeline/call-size';
import { compileIpAllow, type IpMatcher } from './ip-allow';
import { compileModelPatterns, type ModelMatcher } from './model-pattern';
import { toRouteDefinition } from './to-route-definition';

/** A key as the hot path needs it: no hash to compute, the allow-list compiled. */
export interface ActiveKey {
  id: string;
  name: string;
  userId: string | null;
  teamId: string | null;
  enabled: boolean;
  revoked: boolean;
  expiresAt: number | null;
  allows: ModelMatcher;
  /** null: every endpoint. */
  endpoints: ReadonlySet<Endpoint> | null;
  /** null: any address. */
  ipAllowed: IpMatcher | null;
  /** null: no caps on this key's traffic. */
  limits: KeyLimits | null;
  /** Every set of limits a call with this key is counted against: the key's, its user's, its team's; empty: none. */
  scopes: readonly LimitScope[];
  /** Whether a scope caps spend (calls to unpriced models may then be refused). */
  budgeted: boolean;
  /** The smallest per-call caps of the key's scopes; null: none (the gateway's defaults apply). */
  caps: Partial<CallCaps> | null;
  /** Whether the bodies of its calls are stored. */
  captureBodies: boolean;
}

/** A rotated key's old hash, accepted until the end of the grace period. */
interface PreviousSecret {
  key: ActiveKey;
  validUntil: number;
}

/** What /v1/models lists for a public model name. */
export interface PublicModel {
  id: string;
  created: number;
  ownedBy: string;
}

export interface CatalogData {
  keys: readonly GatewayKey[];
  channels: readonly Channel[];
  routes: readonly Route[];
  overrides?: readonly TargetOverride[];
  /** Users with limits (others may be left out). */
  users?: readonly User[];
  /** Teams with limits (others may be left out). */
  teams?: readonly Team[];
}

/**
 * Everything a proxied request reads, built once from the store and swapped whole on change, so
 * that a request never touches the database and never sees half an update.
 */
export class CatalogSnapshot {
  readonly routes: RouteTable;
  /** Enabled channels, by id, as the upstream client needs them. */
  readonly channels = new Map<string, UpstreamTarget>();
  /** Targets taken out of rotation by hand. */
  readonly disabledTargets: ReadonlySet<string>;
  /** Warnings about stored routes that had to be left out (disabled or missing channels). */
  readonly warnings: string[] = [];
  /** Routes whose calls have their bodies stored; null when none does (the usual case: one check per call). */
  readonly captureRoutes: ReadonlySet<string> | null;
  private readonly keysByHash = new Map<string, ActiveKey>();
  private readonly previousByHash = new Map<string, PreviousSecret>();
  private readonly publicModels = new Map<string, PublicModel>();

  constructor(data: CatalogData, decrypt: (sealed: string) => string, defaults: Timeouts) {
    const owners: OwnerScopes = { users: ownerScopes('user', data.users), teams: ownerScopes('team', data.teams) };
    for (const key of data.keys) {
      const active = this.activeKey(key, owners);
      this.keysByHash.set(key.hash, active);
      if (key.previousHash && key.previousValidUntil) {
        this.previousByHash.set(key.previousHash, { key: active, validUntil: key.previousValidUntil.getTime() });
      }
    }
    this.disabledTargets = new Set((data.overrides ?? []).filter((o) => o.disabled).map((o) => o.targetId));
    const modelCreated = new Map<string, { created: number; ownedBy: string }>();
    for (const channel of data.channels) {
      if (!channel.enabled) continue;
      const apiKey = channel.apiKeyEncrypted ? decrypt(channel.apiKeyEncrypted) : null;
      const headers = openValues(channel.headers, decrypt);
      this.channels.set(channel.id, {
        channelId: channel.id,
        channelName: channel.name,
        type: channel.type,
        baseUrl: channel.baseUrl,
        apiKey,
        headers,
        secrets: secretsToRedact(apiKey, headers),
        timeouts: { ...defaults, ...channel.timeouts },
      });
      for (const model of channel.models) {
        if (!modelCreated.has(model))
          modelCreated.set(model, { created: seconds(channel.createdAt), ownedBy: channel.type });
      }
    }
    const capturing = data.routes.filter((route) => route.captureBodies).map((route) => route.name);
    this.captureRoutes = capturing.length ? new Set(capturing) : null;
    const configured = this.configuredRoutes(data.routes);
    this.routes = RouteTable.compile(configured, { implicit: this.implicitRoutes(data.channels) });
    const routeCreated = new Map(data.routes.map((r) => [r.name, seconds(r.createdAt)]));
    for (const route of this.routes.routes()) {
      for (const name of [route.name, ...route.aliases]) {
        if (name.includes('*')) continue;
        const created = routeCreated.get(route.name) ?? modelCreated.get(name)?.created ?? 0;
        const ownedBy = route.implicit ? (modelCreated.get(name)?.ownedBy ?? 'synapsehub') : 'synapsehub';
        this.publicModels.set(name, { id: name, created, ownedBy });
      }
    }
  }

  /** The key with this secret hash: the current one, or the one before a rotation while its grace period lasts. */
  keyByHash(hash: string, now = Date.now()): ActiveKey | undefined {
    const current = this.keysByHash.get(hash);
    if (current) return current;
    const previous = this.previousByHash.get(hash);
    return previous && previous.validUntil > now ? previous.key : undefined;
  }

  /** Exact model names and aliases the key may use, sorted; pattern routes are not listed. */
  modelsFor(key: ActiveKey): PublicModel[] {
    return [...this.publicModels.values()].filter((m) => key.allows(m.id)).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** A listed model, or one a pattern route serves. */
  model(id: string): PublicModel | undefined {
    const listed = this.publicModels.get(id);
    if (listed) return listed;
    return this.routes.resolve(id) ? { id, created: 0, ownedBy: 'synapsehub' } : undefined;
  }

  private activeKey(key: GatewayKey, owners: OwnerScopes): ActiveKey {
    let ipAllowed: IpMatcher | null = null;
    if (key.ipAllow) {
      const compiled = compileIpAllow(key.ipAllow);
      ipAllowed = compiled.matches;
      for (const entry of compiled.invalid) {
        this.warnings.push(`key '${key.name}': ipAllow entry '${entry}' is not a valid CIDR and allows nothing`);
      }
    }
    const limits = key.limits && Object.keys(key.limits).length > 0 ? key.limits : null;
    const scopes: LimitScope[] = limits ? [limitScope('key', key.id, limits)] : [];
    const userScope = key.userId ? owners.users.get(key.userId) : undefined;
    if (userScope) scopes.push(userScope);
    const teamScope = key.teamId ? owners.teams.get(key.teamId) : undefined;
    if (teamScope) scopes.push(teamScope);
    return {
      id: key.id,
      name: key.name,
      userId: key.userId,
      teamId: key.teamId,
      enabled: key.enabled,
      revoked: key.revokedAt !== null,
      expiresAt: key.expiresAt ? key.expiresAt.getTime() : null,
      allows: compileModelPatterns(key.models),
      endpoints: key.endpoints ? new Set(key.endpoints as Endpoint[]) : null,
      ipAllowed,
      limits,
      scopes,
      budgeted: scopes.some((scope) => hasBudget(scope.limits)),
      caps: callCapsOf(scopes),
      captureBodies: key.captureBodies === true,
    };
  }

  /** Stored routes whose channels are gone or disabled lose those targets; an empty route is left out. */
  private configuredRoutes(routes: readonly Route[]): RouteDefinition[] {
    const kept: RouteDefinition[] = [];
    for (const route of routes) {
      const targets = route.targets.filter((t) => this.channels.has(t.channelId));
      if (targets.length < route.targets.length) {
        this.warnings.push(
          `route '${route.name}': ${route.targets.length - targets.length} target(s) on disabled or missing channels left out`,
        );
      }
      if (targets.length === 0) continue;
      kept.push({ ...toRouteDefinition(route), targets });
    }
    const names = new Set(kept.map((r) => r.name));
    for (const route of kept) {
      const missing = (route.fallbacks ?? []).filter((f) => !names.has(f));
      if (missing.length) {
        this.warnings.push(`route '${route.name}': fallbacks without targets left out: ${missing.join(', ')}`);
        route.fallbacks = (route.fallbacks ?? []).filter((f) => names.has(f));
      }
    }
    return kept;
  }

  /** A model listed on channels and named by no route is served by all of them, round-robin. */
  private implicitRoutes(channels: readonly Channel[]): RouteDefinition[] {
    const byModel = new Map<string, RouteDefinition>();
    for (const channel of channels) {
      if (!channel.enabled) continue;
      for (const model of channel.models) {
        const route = byModel.get(model) ?? { name: model, targets: [] };
        route.targets.push({ channelId: channel.id, model });
        byModel.set(model, route);
      }
    }
    return [...byModel.values()];
  }
}

/** The limits of the users and teams that own keys, by owner id; one scope object shared by all their keys. */
interface OwnerScopes {
  users: ReadonlyMap<string, LimitScope>;
  teams: ReadonlyMap<string, LimitScope>;
}

function ownerScopes(
  kind: 'user' | 'team',
  owners: readonly { id: string; limits?: KeyLimits | null }[] = [],
): Map<string, LimitScope> {
  const scopes = new Map<string, LimitScope>();
  for (const owner of owners) {
    if (owner.limits && Object.keys(owner.limits).length > 0) {
      scopes.set(owner.id, limitScope(kind, owner.id, owner.limits));
    }
  }
  return scopes;
}

/** The smallest of the scopes' per-call caps, or null when none sets one. */
function callCapsOf(scopes: readonly LimitScope[]): Partial<CallCaps> | null {
  const caps: Partial<CallCaps> = {};
  for (const { limits } of scopes) {
    if (limits.maxTokensPerCall !== undefined) {
      caps.maxTokens = Math.min(caps.maxTokens ?? Infinity, limits.maxTokensPerCall);
    }
    if (limits.maxChoicesPerCall !== undefined) {
      caps.maxChoices = Math.min(caps.maxChoices ?? Infinity, limits.maxChoicesPerCall);
    }
  }
  return caps.maxTokens === undefined && caps.maxChoices === undefined ? null : caps;
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
