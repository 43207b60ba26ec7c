import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AccessDirectory, GqlErrors, type AuthenticatedUser } from '@synapse/gateway/auth';
import {
  GatewayKeyRepository,
  RefreshTokenRepository,
  TeamRepository,
  UserRepository,
  type User as StoredUser,
} from '@synapse/gateway/persistence';
import { passwordProblem } from '@synapse/gateway/config';
import { hashPassword } from '@synapse/gateway/auth';
import { RoutingAdmin } from '@synapse/gateway/proxy';
import { Action, asSubject, type AppAbility } from '@synapse/rbac';
import { assertMayWriteFields, givenFields } from '../common/fields';
import { assertMayGrant } from '../common/grants';
import { parseLimits } from '../limits/parse-limits';
import { Serial } from '../common/serial';
import { toLimitsView } from '../limits/limits-view';
import type { CreateUserInput } from './dto/create-user.input';
import type { UpdateUserInput } from './dto/update-user.input';
import type { User } from './models/user.model';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME = 200;

/**
 * Accounts at run time. Every change is checked twice against the caller's ability, on the account
 * as stored and as it would be saved (an admin may neither touch an owner nor make one), and a role
 * may only be given by someone who holds at least what it grants. The last owner cannot be demoted
 * or deleted. Changes count at once on every replica (AccessDirectory); a deleted account loses its
 * sessions and its gateway keys. Limits on an account bind all its keys together and reach the proxy
 * at once (catalog reload); nobody lifts their own limits through a right that holds only because
 * the account is theirs (a custom role that lets users edit their own account).
 */
@Injectable()
export class UsersService {
  private readonly serial = new Serial();

  constructor(
    private readonly users: UserRepository,
    private readonly teams: TeamRepository,
    private readonly keys: GatewayKeyRepository,
    private readonly refreshTokens: RefreshTokenRepository,
    private readonly directory: AccessDirectory,
    private readonly routing: RoutingAdmin,
  ) {}

  /** The signed-in account as stored now; a token whose account is gone no longer counts. */
  async current(user: AuthenticatedUser): Promise<User> {
    const stored = await this.users.findById(user.id);
    if (!stored) throw GqlErrors.unauthenticated('Your account no longer exists.');
    return this.view(stored);
  }

  async list(ability: AppAbility): Promise<User[]> {
    const users = await this.users.findAll();
    const access = await this.directory.current();
    return users
      .filter((user) => ability.can(Action.Read, userSubject(user)))
      .map((user) => toView(user, access.teamIdsOf(user.id)));
  }

  create(input: CreateUserInput, caller: AuthenticatedUser, ability: AppAbility): Promise<User> {
    return this.serial.run(async () => {
      const email = input.email.trim().toLowerCase();
      if (!EMAIL.test(email) || email.length > 254)
        throw GqlErrors.badUserInput(`email: '${input.email}' is not an email address`);
      const name = checkName(input.name);
      const limits = parseLimits(input.limits);
      await this.assertRoleGrantable(input.role, caller, ability, { email });
      const passwordIssue = input.password != null ? passwordProblem(input.password) : null;
      if (passwordIssue) throw GqlErrors.badUserInput(`password: ${passwordIssue}`);
      if (await this.users.findByEmail(email))
        throw GqlErrors.badUserInput(`email: an account for '${email}' already exists`);
      const now = new Date();
      const user: StoredUser = {
        id: randomUUID(),
        email,
        name,
        role: input.role,
        passwordHash: input.password ? await hashPassword(input.password) : null,
        limits,
        createdAt: now,
        updatedAt: now,
      };
      await this.users.save(user);
      await this.directory.changed();
      // Keys come later, and each reloads the catalog; announced anyway, so that a user's limits
      // never depend on which change happens to reload next.
      if (limits) await this.routing.catalogChanged();
      return toView(user, []);
    });
  }

  update(id: string, input: UpdateUserInput, caller: AuthenticatedUser, ability: AppAbility): Promise<User> {
    return this.serial.run(async () => {
      const stored = await this.findFor(Action.Update, id, ability);
      assertMayWriteFields(ability, Action.Update, userSubject(stored), givenFields(input), `'${stored.email}'`);
      const next: StoredUser = { ...stored, updatedAt: new Date() };
      if (input.name !== undefined) next.name = checkName(input.name);
      if (input.role != null && input.role !== stored.role) {
        await this.assertRoleGrantable(input.role, caller, ability, stored);
        next.role = input.role;
      }
      const limitsChanged = input.limits !== undefined;
      if (limitsChanged) {
        next.limits = parseLimits(input.limits);
        if (stored.id === caller.id) this.assertMayLimitOthers(stored, ability);
      }
      // The last owner is checked where it is written, so that two replicas cannot demote both owners.
      if (!(await this.users.changeKeepingAnOwner({ save: next }))) throw lastOwner(stored, 'demote');
      await this.directory.changed();
      if (limitsChanged) await this.routing.catalogChanged();
      return this.view(next);
    });
  }

  delete(id: string, caller: AuthenticatedUser, ability: AppAbility): Promise<User> {
    return this.serial.run(async () => {
      const stored = await this.findFor(Action.Delete, id, ability);
      if (stored.id === caller.id) throw GqlErrors.badUserInput('You may not delete your own account.');
      const view = await this.view(stored);
      if (!(await this.users.changeKeepingAnOwner({ delete: stored.id }))) throw lastOwner(stored, 'delete');
      await this.teams.removeUserEverywhere(stored.id);
      await this.refreshTokens.revokeAllOfUser(stored.id, new Date());
      // Keys outlive nobody: whatever the account owned stops working with it.
      const owned = (await this.keys.findAll()).filter((key) => key.userId === stored.id && !key.revokedAt);
      const now = new Date();
      for (const key of owned) await this.keys.save({ ...key, revokedAt: now, updatedAt: now });
      await this.directory.changed();
      if (owned.length) await this.routing.catalogChanged();
      return view;
    });
  }

  private async view(user: StoredUser): Promise<User> {
    return toView(user, (await this.directory.current()).teamIdsOf(user.id));
  }

  private async findFor(action: Action, id: string, ability: AppAbility): Promise<StoredUser> {
    const user = await this.users.findById(id);
    if (!user || !ability.can(Action.Read, userSubject(user))) throw GqlErrors.notFound(`No user has the id '${id}'.`);
    if (!ability.can(action, userSubject(user))) {
      const rule = ability.relevantRuleFor(action, userSubject(user));
      throw GqlErrors.forbidden(
        `You may not ${action} the account '${user.email}'${rule?.reason ? `: ${rule.reason}` : '.'}`,
      );
    }
    return user;
  }

  /** The role exists, the account may hold it as far as the caller's ability goes, and it is no escalation. */
  private async assertRoleGrantable(
    role: string,
    caller: AuthenticatedUser,
    ability: AppAbility,
    account: Partial<StoredUser>,
  ): Promise<void> {
    const access = await this.directory.current();
    const definition = access.role(role);
    if (!definition) throw GqlErrors.badUserInput(`role: no role is named '${role}'`);
    const action = account.id ? Action.Update : Action.Create;
    const wouldBe = userSubject({ ...account, role } as StoredUser);
    if (!ability.can(action, wouldBe)) {
      const reason = ability.relevantRuleFor(action, wouldBe)?.reason;
      throw GqlErrors.forbidden(`You may not give the role '${role}'${reason ? `: ${reason}` : '.'}`);
    }
    assertMayGrant(access, caller, `give the role '${role}'`, definition.rules);
  }

  /** Changing one's own limits takes the right to change them on such an account that is not one's own. */
  private assertMayLimitOthers(self: StoredUser, ability: AppAbility): void {
    if (!ability.can(Action.Update, userSubject({ ...self, id: '' }))) {
      throw GqlErrors.forbidden('You may not change the limits of your own account.');
    }
  }
}

function lastOwner(user: StoredUser, verb: string) {
  return GqlErrors.badUserInput(`You may not ${verb} '${user.email}': it is the last owner account.`);
}

function checkName(name: string | null | undefined): string | null {
  const trimmed = name?.trim();
  if (trimmed && trimmed.length > MAX_NAME) throw GqlErrors.badUserInput(`name: at most ${MAX_NAME} characters`);
  return trimmed || null;
}

/** An account as the subject of a check (conditions may name its id, email or role). */
export function userSubject(user: Pick<StoredUser, 'id' | 'email' | 'role'>) {
  return asSubject('User', { id: user.id, email: user.email, role: user.role });
}

function toView(user: StoredUser, teamIds: readonly string[]): User {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    hasPassword: user.passwordHash !== null,
    teamIds: [...teamIds],
    limits: toLimitsView(user.limits),
    createdAt: user.createdAt,
  };
}
