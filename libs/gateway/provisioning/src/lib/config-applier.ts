import { hashPassword } from '@synapse/gateway/auth';
import { randomUUID } from 'node:crypto';
import {
  generateApiKey,
  hashApiKey,
  hasPlainValues,
  openValues,
  sealValues,
  secretHint,
  visiblePrefix,
  type SecretBox,
} from '@synapse/crypto';
import {
  defaultTargetModel,
  type ChannelConfig,
  type ConfigFile,
  type KeyConfig,
  type RoleConfig,
  type RouteConfig,
  type TeamConfig,
  type UserConfig,
} from '@synapse/gateway/config';
import type {
  Channel,
  ChannelRepository,
  GatewayKey,
  GatewayKeyRepository,
  RoleRepository,
  Route,
  RouteRepository,
  Team,
  TeamRepository,
  User,
  UserRepository,
} from '@synapse/gateway/persistence';
import type { PermissionRule } from '@synapse/rbac';

export interface ApplyResult {
  created: string[];
  updated: string[];
  /** Keys declared without a fixed secret get one generated; it is shown once, here. */
  generatedKeys: { name: string; key: string }[];
}

export interface ConfigApplierDeps {
  channels: ChannelRepository;
  keys: GatewayKeyRepository;
  users: UserRepository;
  routes: RouteRepository;
  roles: RoleRepository;
  teams: TeamRepository;
  secrets: SecretBox;
}

/**
 * Applies the config file to the store. Entries are matched by name (channels, keys) or email
 * (users) and written only when something differs, so applying the same file twice changes
 * nothing. Entries missing from the file are left alone: the file adds and updates, never deletes.
 */
export class ConfigApplier {
  constructor(private readonly deps: ConfigApplierDeps) {}

  async apply(config: ConfigFile): Promise<ApplyResult> {
    const result: ApplyResult = { created: [], updated: [], generatedKeys: [] };
    // Roles before the users that hold them; teams after their members, before their keys.
    for (const role of config.roles) await this.applyRole(role, result);
    for (const user of config.users) await this.applyUser(user, result);
    for (const team of config.teams) await this.applyTeam(team, result);
    for (const channel of config.channels) await this.applyChannel(channel, result);
    for (const key of config.keys) await this.applyKey(key, result);
    for (const [index, route] of config.routes.entries()) await this.applyRoute(route, index, result);
    return result;
  }

  private async applyUser(config: UserConfig, result: ApplyResult): Promise<void> {
    const existing = await this.deps.users.findByEmail(config.email);
    const now = new Date();
    if (!existing) {
      await this.deps.users.save({
        id: randomUUID(),
        email: config.email.toLowerCase(),
        name: config.name ?? null,
        role: config.role,
        passwordHash: config.password ? await hashPassword(config.password) : null,
        limits: config.limits ?? null,
        createdAt: now,
        updatedAt: now,
      });
      result.created.push(`user ${config.email}`);
      return;
    }
    const next: User = {
      ...existing,
      role: config.role,
      name: config.name ?? existing.name,
      limits: config.limits ?? null,
    };
    // The file's password only seeds an account: once the user has one (possibly changed by them
    // since), restarts must not put the file's back.
    const passwordChanged = config.password !== undefined && !existing.passwordHash;
    if (passwordChanged) next.passwordHash = await hashPassword(config.password as string);
    if (passwordChanged || differs(existing, next, ['role', 'name', 'limits'])) {
      await this.deps.users.save({ ...next, updatedAt: now });
      result.updated.push(`user ${config.email}`);
    }
  }

  private async applyRole(config: RoleConfig, result: ApplyResult): Promise<void> {
    const existing = await this.deps.roles.findByName(config.name);
    const now = new Date();
    const rules = config.rules as PermissionRule[];
    if (!existing) {
      await this.deps.roles.save({
        name: config.name,
        description: config.description,
        rules,
        createdAt: now,
        updatedAt: now,
      });
      result.created.push(`role ${config.name}`);
    } else if (differs(existing, { ...existing, description: config.description, rules }, ['description', 'rules'])) {
      await this.deps.roles.save({ ...existing, description: config.description, rules, updatedAt: now });
      result.updated.push(`role ${config.name}`);
    }
  }

  /** A team's listed members are added; members added at run time are left alone, like everything else. */
  private async applyTeam(config: TeamConfig, result: ApplyResult): Promise<void> {
    const existing = await this.deps.teams.findByName(config.name);
    const now = new Date();
    const desired: Team = {
      id: existing?.id ?? randomUUID(),
      name: config.name,
      description: config.description ?? existing?.description ?? null,
      limits: config.limits ?? null,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    let changed = !existing || differs(existing, desired, ['description', 'limits']);
    if (changed) await this.deps.teams.save(desired);
    for (const email of config.members) {
      const user = await this.deps.users.findByEmail(email);
      if (user && (await this.deps.teams.addMember({ teamId: desired.id, userId: user.id, createdAt: now }))) {
        changed = true;
      }
    }
    if (!existing) result.created.push(`team ${config.name}`);
    else if (changed) result.updated.push(`team ${config.name}`);
  }

  private async applyChannel(config: ChannelConfig, result: ApplyResult): Promise<void> {
    const existing = await this.deps.channels.findByName(config.name);
    const sameKey =
      existing &&
      (existing.apiKeyEncrypted ? this.deps.secrets.decrypt(existing.apiKeyEncrypted) : undefined) === config.apiKey;
    const apiKeyEncrypted = sameKey
      ? (existing?.apiKeyEncrypted ?? null)
      : config.apiKey
        ? this.deps.secrets.encrypt(config.apiKey)
        : null;
    // Header values are sealed with a fresh IV each time: compared in clear, resealed only when they change.
    const wantedHeaders = config.headers ?? {};
    const sameHeaders =
      existing &&
      normalize(openValues(existing.headers, (v) => this.deps.secrets.decrypt(v))) === normalize(wantedHeaders) &&
      !hasPlainValues(existing.headers);
    const now = new Date();
    const desired: Channel = {
      id: existing?.id ?? randomUUID(),
      name: config.name,
      type: config.type,
      baseUrl: config.baseUrl,
      apiKeyEncrypted,
      apiKeyHint: secretHint(config.apiKey),
      models: config.models,
      enabled: config.enabled,
      headers: sameHeaders ? existing.headers : sealValues(wantedHeaders, this.deps.secrets),
      timeouts: config.timeouts ?? {},
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    if (!existing) {
      await this.deps.channels.save(desired);
      result.created.push(`channel ${config.name}`);
    } else if (
      differs(existing, desired, [
        'type',
        'baseUrl',
        'apiKeyEncrypted',
        'apiKeyHint',
        'models',
        'enabled',
        'headers',
        'timeouts',
      ])
    ) {
      await this.deps.channels.save(desired);
      result.updated.push(`channel ${config.name}`);
    }
  }

  private async applyRoute(config: RouteConfig, index: number, result: ApplyResult): Promise<void> {
    const targets = [];
    for (const [t, target] of config.targets.entries()) {
      const channel = await this.deps.channels.findByName(target.channel);
      if (!channel) {
        throw new ConfigReferenceError(`routes[${index}].targets[${t}].channel`, `no channel '${target.channel}'`);
      }
      targets.push({
        channelId: channel.id,
        model: defaultTargetModel(config.name, target.model),
        weight: target.weight,
        priority: target.priority,
        ...(target.rpm !== undefined && { rpm: target.rpm }),
        ...(target.tpm !== undefined && { tpm: target.tpm }),
      });
    }
    const existing = await this.deps.routes.findByName(config.name);
    const now = new Date();
    const desired: Route = {
      id: existing?.id ?? randomUUID(),
      name: config.name,
      strategy: config.strategy,
      targets,
      fallbacks: config.fallbacks,
      aliases: config.aliases,
      retry: config.retry ?? null,
      captureBodies: config.captureBodies,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    if (!existing) {
      await this.deps.routes.save(desired);
      result.created.push(`route ${config.name}`);
    } else if (
      differs(existing, desired, ['strategy', 'targets', 'fallbacks', 'aliases', 'retry']) ||
      captureChanged(existing, desired)
    ) {
      await this.deps.routes.save(desired);
      result.updated.push(`route ${config.name}`);
    }
  }

  private async applyKey(config: KeyConfig, result: ApplyResult): Promise<void> {
    const existing = await this.deps.keys.findByName(config.name);
    const owner = config.user ? await this.deps.users.findByEmail(config.user) : null;
    const team = config.team ? await this.deps.teams.findByName(config.team) : null;
    let secret = config.key;
    if (!existing && !secret) {
      secret = generateApiKey();
      result.generatedKeys.push({ name: config.name, key: secret });
    }
    const now = new Date();
    const desired: GatewayKey = {
      id: existing?.id ?? randomUUID(),
      name: config.name,
      prefix: secret ? visiblePrefix(secret) : (existing?.prefix ?? ''),
      hash: secret ? hashApiKey(secret) : (existing?.hash ?? ''),
      models: config.models,
      endpoints: config.endpoints ?? null,
      ipAllow: config.ipAllow ?? null,
      limits: config.limits ?? null,
      enabled: config.enabled,
      expiresAt: config.expiresAt ? new Date(config.expiresAt) : null,
      // Rotation and revocation happen at run time; the file neither sets nor undoes them.
      previousHash: existing?.previousHash ?? null,
      previousValidUntil: existing?.previousValidUntil ?? null,
      revokedAt: existing?.revokedAt ?? null,
      userId: owner?.id ?? null,
      // A key the file gives to nobody keeps a team it was given at run time.
      teamId: team?.id ?? (owner ? null : (existing?.teamId ?? null)),
      captureBodies: config.captureBodies,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    if (!existing) {
      await this.deps.keys.save(desired);
      result.created.push(`key ${config.name}`);
    } else if (
      differs(existing, desired, [
        'prefix',
        'hash',
        'models',
        'endpoints',
        'ipAllow',
        'limits',
        'enabled',
        'expiresAt',
        'userId',
        'teamId',
      ]) ||
      captureChanged(existing, desired)
    ) {
      await this.deps.keys.save(desired);
      result.updated.push(`key ${config.name}`);
    }
  }
}

/** A reference in the file that the store cannot satisfy; named by its path like schema errors. */
export class ConfigReferenceError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'ConfigReferenceError';
  }
}

/** Whether any of `fields` differs (dates and JSON compared by value). */
export function differs<T extends object>(a: T, b: T, fields: (keyof T)[]): boolean {
  return fields.some((field) => normalize(a[field]) !== normalize(b[field]));
}

/** `captureBodies` left out and false are the same setting. */
function captureChanged(a: { captureBodies?: boolean }, b: { captureBodies?: boolean }): boolean {
  return Boolean(a.captureBodies) !== Boolean(b.captureBodies);
}

function normalize(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value ?? null);
}
