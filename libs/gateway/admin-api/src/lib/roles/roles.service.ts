import { Injectable } from '@nestjs/common';
import { AccessDirectory, GqlErrors, type AuthenticatedUser } from '@synapse/gateway/auth';
import { RoleRepository, UserRepository, type StoredRole } from '@synapse/gateway/persistence';
import {
  BUILT_IN_ROLE_DEFINITIONS,
  defineAbilityFor,
  InvalidRoleError,
  isBuiltInRole,
  permissionRuleProblems,
  unenforcedProblems,
  type PermissionRule,
  type RoleDefinition,
} from '@synapse/rbac';
import { assertMayGrant } from '../common/grants';
import { Serial } from '../common/serial';
import type { CreateRoleInput } from './dto/create-role.input';
import type { PermissionRuleInput } from './dto/permission-rule.input';
import type { UpdateRoleInput } from './dto/update-role.input';
import type { Role } from './models/role.model';

const ROLE_NAME = /^[a-z][a-z0-9-]{1,31}$/;
const MAX_RULES = 100;

/**
 * Custom roles: sets of permissions, stored as data and used from the next request on, on every
 * replica. A role is checked as a whole before it is saved (known actions, subjects, placeholders
 * and condition operators), and may not grant more than the caller's own role holds.
 */
@Injectable()
export class RolesService {
  private readonly serial = new Serial();

  constructor(
    private readonly roles: RoleRepository,
    private readonly users: UserRepository,
    private readonly directory: AccessDirectory,
  ) {}

  async list(): Promise<Role[]> {
    const builtIn = Object.values(BUILT_IN_ROLE_DEFINITIONS).map((role) => toView(role, true, null));
    const custom = (await this.roles.findAll()).map((role) => toView(role, false, role.updatedAt));
    return [...builtIn, ...custom];
  }

  /**
   * The role the account holds now (as stored, not the token's claim) with its rules: anyone may read
   * their own, while `roles` needs `Read Role`.
   */
  async ofAccount(caller: AuthenticatedUser): Promise<Role> {
    let access = await this.directory.current();
    // An account created a moment ago (or on another replica) may not be in the snapshot yet.
    if (!access.user(caller.id)) access = await this.directory.refreshed();
    const name = access.user(caller.id)?.role;
    if (!name) throw GqlErrors.unauthenticated('Your account no longer exists.');
    if (isBuiltInRole(name)) return toView(BUILT_IN_ROLE_DEFINITIONS[name], true, null);
    const stored = await this.roles.findByName(name);
    if (!stored) throw GqlErrors.notFound(`Your role '${name}' no longer exists.`);
    return toView(stored, false, stored.updatedAt);
  }

  create(input: CreateRoleInput, caller: AuthenticatedUser): Promise<Role> {
    return this.serial.run(async () => {
      if (!ROLE_NAME.test(input.name)) {
        throw GqlErrors.badUserInput(
          `name: '${input.name}' must be 2-32 lower-case letters, digits and dashes, starting with a letter`,
        );
      }
      if (isBuiltInRole(input.name)) throw GqlErrors.badUserInput(`name: '${input.name}' is a built-in role`);
      if (await this.roles.findByName(input.name))
        throw GqlErrors.badUserInput(`name: a role named '${input.name}' already exists`);
      const rules = await this.checkedRules(input.name, input.rules, caller);
      const now = new Date();
      const role: StoredRole = {
        name: input.name,
        description: input.description.trim(),
        rules,
        createdAt: now,
        updatedAt: now,
      };
      await this.roles.save(role);
      await this.directory.changed();
      return toView(role, false, now);
    });
  }

  update(name: string, input: UpdateRoleInput, caller: AuthenticatedUser): Promise<Role> {
    return this.serial.run(async () => {
      const stored = await this.findCustom(name);
      const rules = input.rules ? await this.checkedRules(name, input.rules, caller) : stored.rules;
      // Changing a role changes what its holders may do: the caller must be able to grant the result.
      if (!input.rules) assertMayGrant(await this.directory.current(), caller, `change the role '${name}'`, rules);
      const role: StoredRole = {
        ...stored,
        description: input.description?.trim() ?? stored.description,
        rules,
        updatedAt: new Date(),
      };
      await this.roles.save(role);
      await this.directory.changed();
      return toView(role, false, role.updatedAt);
    });
  }

  delete(name: string, caller: AuthenticatedUser): Promise<Role> {
    return this.serial.run(async () => {
      const stored = await this.findCustom(name);
      assertMayGrant(await this.directory.current(), caller, `delete the role '${name}'`, stored.rules);
      const holders = await this.users.count({ role: name });
      if (holders) {
        throw GqlErrors.badUserInput(
          `The role '${name}' is held by ${holders} account(s): give them another role first.`,
        );
      }
      await this.roles.delete(name);
      await this.directory.changed();
      return toView(stored, false, stored.updatedAt);
    });
  }

  private async findCustom(name: string): Promise<StoredRole> {
    if (isBuiltInRole(name))
      throw GqlErrors.badUserInput(`'${name}' is a built-in role: it cannot be changed or deleted`);
    const stored = await this.roles.findByName(name);
    if (!stored) throw GqlErrors.notFound(`No custom role is named '${name}'.`);
    return stored;
  }

  /** The rules as stored data, or BAD_USER_INPUT listing every problem; FORBIDDEN for an escalation. */
  private async checkedRules(
    name: string,
    input: readonly PermissionRuleInput[],
    caller: AuthenticatedUser,
  ): Promise<PermissionRule[]> {
    if (input.length > MAX_RULES) throw GqlErrors.badUserInput(`rules: at most ${MAX_RULES}`);
    const rules = input.map(toRule);
    const problems = rules.flatMap((rule, i) => {
      const shape = permissionRuleProblems(rule);
      return (shape.length ? shape : unenforcedProblems(rule)).map((p) => `rules[${i}].${p}`);
    });
    if (!problems.length) {
      try {
        defineAbilityFor({ id: 'check', role: name }, [{ name, description: '', rules }]);
      } catch (error) {
        if (!(error instanceof InvalidRoleError)) throw error;
        problems.push(...error.problems);
      }
    }
    if (problems.length) throw GqlErrors.badUserInput(`Role '${name}' has invalid rules: ${problems.join('; ')}`);
    assertMayGrant(await this.directory.current(), caller, `grant the rules of '${name}'`, rules);
    return rules;
  }
}

/** The input as a rule, leaving out what was not given (so that a stored rule is exactly CASL's raw rule). */
function toRule(input: PermissionRuleInput): PermissionRule {
  return {
    action: input.action,
    subject: input.subject,
    ...(input.conditions != null && { conditions: input.conditions }),
    ...(input.fields != null && { fields: input.fields }),
    ...(input.inverted && { inverted: true }),
    ...(input.reason != null && { reason: input.reason }),
  } as PermissionRule;
}

function toView(role: RoleDefinition, builtIn: boolean, updatedAt: Date | null): Role {
  return {
    name: role.name,
    description: role.description,
    builtIn,
    updatedAt,
    rules: role.rules.map((rule) => ({
      action: [rule.action].flat(),
      subject: [rule.subject].flat(),
      conditions: (rule.conditions as Record<string, unknown> | undefined) ?? null,
      fields: rule.fields ? [...rule.fields] : null,
      inverted: rule.inverted ?? false,
      reason: rule.reason ?? null,
    })),
  };
}
