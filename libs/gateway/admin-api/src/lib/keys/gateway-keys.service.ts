import { Injectable } from '@nestjs/common';
import { generateApiKey, hashApiKey, visiblePrefix } from '@synapse/crypto';
import { GqlErrors, type AuthenticatedUser } from '@synapse/gateway/auth';
import {
  GatewayKeyRepository,
  TeamRepository,
  UserRepository,
  type GatewayKey as StoredKey,
} from '@synapse/gateway/persistence';
import { RoutingAdmin } from '@synapse/gateway/proxy';
import { Action, asSubject, type AppAbility } from '@synapse/rbac';
import { randomUUID } from 'node:crypto';
import type { CreateGatewayKeyInput } from './dto/create-gateway-key.input';
import { MAX_GRACE_SECONDS } from './dto/rotate-gateway-key.args';
import type { UpdateGatewayKeyInput } from './dto/update-gateway-key.input';
import { assertMayWriteFields, givenFields } from '../common/fields';
import { toGatewayKeyView } from './gateway-key-view';
import type { GatewayKey } from './models/gateway-key.model';
import type { GatewayKeySecret } from './models/gateway-key-secret.model';
import { parseKeyFields } from './parse-key-fields';
import { Serial } from '../common/serial';

/**
 * Gateway keys at run time: the secret is generated here, shown once and stored as a hash. Every
 * change reloads the catalog on every replica (this one before the mutation answers), so that a
 * revocation is effective everywhere at once. Members see and change only the keys they own (their
 * ability's conditions); a key the caller may not read is "not found".
 */
@Injectable()
export class GatewayKeysService {
  private readonly serial = new Serial();

  constructor(
    private readonly keys: GatewayKeyRepository,
    private readonly users: UserRepository,
    private readonly teams: TeamRepository,
    private readonly routing: RoutingAdmin,
  ) {}

  async list(ability: AppAbility): Promise<GatewayKey[]> {
    const keys = await this.keys.findAll();
    return keys.filter((key) => ability.can(Action.Read, subjectOf(key))).map(toGatewayKeyView);
  }

  create(input: CreateGatewayKeyInput, user: AuthenticatedUser, ability: AppAbility): Promise<GatewayKeySecret> {
    return this.serial.run(async () => {
      const { userId: owner, teamId: team, ...given } = input;
      const fields = parseKeyFields({ ...given, models: given.models ?? undefined });
      if (owner && team) throw GqlErrors.badUserInput('A key belongs to a user or to a team, not both.');
      const teamId = team ?? null;
      const unowned = asSubject('GatewayKey', { userId: null, teamId: null });
      const userId = owner ?? (teamId || ability.can(Action.Create, unowned) ? null : user.id);
      if (!ability.can(Action.Create, asSubject('GatewayKey', { userId, teamId }))) {
        throw GqlErrors.forbidden(
          `You may not create a key for ${teamId ? 'a team' : 'another user'}; you are ${user.role}.`,
        );
      }
      if (userId && userId !== user.id && !(await this.users.findById(userId))) {
        throw GqlErrors.badUserInput(`userId: no user '${userId}'`);
      }
      if (teamId && !(await this.teams.findById(teamId))) throw GqlErrors.badUserInput(`teamId: no team '${teamId}'`);
      await this.checkNameFree(fields.name);
      const secret = generateApiKey();
      const now = new Date();
      const key: StoredKey = {
        id: randomUUID(),
        ...fields,
        prefix: visiblePrefix(secret),
        hash: hashApiKey(secret),
        previousHash: null,
        previousValidUntil: null,
        revokedAt: null,
        userId,
        teamId,
        createdAt: now,
        updatedAt: now,
      };
      await this.keys.save(key);
      await this.routing.catalogChanged();
      return { key: toGatewayKeyView(key), secret };
    });
  }

  update(id: string, input: UpdateGatewayKeyInput, ability: AppAbility): Promise<GatewayKey> {
    return this.serial.run(async () => {
      const stored = await this.findFor(Action.Update, id, ability);
      assertMayWriteFields(ability, Action.Update, subjectOf(stored), givenFields(input), `the key '${stored.name}'`);
      const fields = parseKeyFields({
        name: input.name ?? stored.name,
        models: input.models ?? stored.models,
        endpoints: input.endpoints === undefined ? stored.endpoints : input.endpoints,
        ipAllow: input.ipAllow === undefined ? stored.ipAllow : input.ipAllow,
        enabled: input.enabled ?? stored.enabled,
        expiresAt: input.expiresAt === undefined ? stored.expiresAt : input.expiresAt,
        limits: input.limits === undefined ? stored.limits : input.limits,
        captureBodies: input.captureBodies ?? stored.captureBodies ?? false,
      });
      if (fields.name !== stored.name) await this.checkNameFree(fields.name);
      const owner = await this.nextOwner(stored, input, ability);
      return this.saveChanged({ ...stored, ...fields, ...owner, updatedAt: new Date() });
    });
  }

  /**
   * Who owns the key after the update: moving it is updating the key as it would be saved, so a
   * member cannot give their key away and nobody can move a key where they could not create one.
   */
  private async nextOwner(
    stored: StoredKey,
    input: UpdateGatewayKeyInput,
    ability: AppAbility,
  ): Promise<Pick<StoredKey, 'userId' | 'teamId'>> {
    if (input.userId === undefined && input.teamId === undefined)
      return { userId: stored.userId, teamId: stored.teamId };
    if (input.userId && input.teamId) throw GqlErrors.badUserInput('A key belongs to a user or to a team, not both.');
    const next = input.userId
      ? { userId: input.userId, teamId: null }
      : input.teamId
        ? { userId: null, teamId: input.teamId }
        : {
            userId: input.userId === null ? null : stored.userId,
            teamId: input.teamId === null ? null : stored.teamId,
          };
    if (next.userId && next.userId !== stored.userId && !(await this.users.findById(next.userId))) {
      throw GqlErrors.badUserInput(`userId: no user '${next.userId}'`);
    }
    if (next.teamId && next.teamId !== stored.teamId && !(await this.teams.findById(next.teamId))) {
      throw GqlErrors.badUserInput(`teamId: no team '${next.teamId}'`);
    }
    if (!ability.can(Action.Update, asSubject('GatewayKey', { id: stored.id, ...next }))) {
      throw GqlErrors.forbidden(
        `You may not give the key '${stored.name}' to ${next.teamId ? 'that team' : next.userId ? 'that user' : 'nobody'}.`,
      );
    }
    return next;
  }

  /** A new secret; the old one keeps working for `graceSeconds` (a second rotation ends that at once). */
  rotate(id: string, graceSeconds: number, ability: AppAbility): Promise<GatewayKeySecret> {
    return this.serial.run(async () => {
      if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) {
        throw GqlErrors.badUserInput(`graceSeconds: must be between 0 and ${MAX_GRACE_SECONDS} (7 days)`);
      }
      const stored = await this.findFor(Action.Update, id, ability);
      if (stored.revokedAt) throw GqlErrors.badUserInput(`Key '${stored.name}' is revoked: create a new one instead.`);
      const secret = generateApiKey();
      const now = new Date();
      const key = await this.saveChanged({
        ...stored,
        prefix: visiblePrefix(secret),
        hash: hashApiKey(secret),
        previousHash: graceSeconds > 0 ? stored.hash : null,
        previousValidUntil: graceSeconds > 0 ? new Date(now.getTime() + graceSeconds * 1000) : null,
        updatedAt: now,
      });
      return { key, secret };
    });
  }

  /** For good: a revoked key (and its previous secret) never authenticates again. Revoking twice keeps the first time. */
  revoke(id: string, ability: AppAbility): Promise<GatewayKey> {
    return this.serial.run(async () => {
      const stored = await this.findFor(Action.Delete, id, ability);
      if (stored.revokedAt) return toGatewayKeyView(stored);
      const now = new Date();
      return this.saveChanged({ ...stored, revokedAt: now, updatedAt: now });
    });
  }

  private async saveChanged(key: StoredKey): Promise<GatewayKey> {
    await this.keys.save(key);
    await this.routing.catalogChanged();
    return toGatewayKeyView(key);
  }

  private async findFor(action: Action, id: string, ability: AppAbility): Promise<StoredKey> {
    const key = await this.keys.findById(id);
    if (!key || !ability.can(Action.Read, subjectOf(key)))
      throw GqlErrors.notFound(`No gateway key has the id '${id}'.`);
    if (!ability.can(action, subjectOf(key))) throw GqlErrors.forbidden(`You may not ${action} the key '${key.name}'.`);
    return key;
  }

  private async checkNameFree(name: string): Promise<void> {
    if (await this.keys.findByName(name)) throw GqlErrors.badUserInput(`name: a key named '${name}' already exists`);
  }
}

function subjectOf(key: StoredKey) {
  return asSubject('GatewayKey', { id: key.id, userId: key.userId, teamId: key.teamId });
}
