import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AccessDirectory, GqlErrors } from '@synapse/gateway/auth';
import {
  GatewayKeyRepository,
  TeamRepository,
  UserRepository,
  type Team as StoredTeam,
} from '@synapse/gateway/persistence';
import { RoutingAdmin } from '@synapse/gateway/proxy';
import { Action, asSubject, type AppAbility } from '@synapse/rbac';
import { parseLimits } from '../limits/parse-limits';
import { assertMayWriteFields, givenFields } from '../common/fields';
import { Serial } from '../common/serial';
import { userSubject } from '../users/users.service';
import { toLimitsView } from '../limits/limits-view';
import type { CreateTeamInput } from './dto/create-team.input';
import type { UpdateTeamInput } from './dto/update-team.input';
import type { Team } from './models/team.model';

const TEAM_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Teams: groups of users that can own gateway keys together, with optional limits on all their
 * keys at once. Members see their teams (their ability's `${user.teamIds}` condition); changes to
 * membership count at once for authorization (AccessDirectory) and for the proxy (catalog).
 */
@Injectable()
export class TeamsService {
  private readonly serial = new Serial();

  constructor(
    private readonly teams: TeamRepository,
    private readonly users: UserRepository,
    private readonly keys: GatewayKeyRepository,
    private readonly directory: AccessDirectory,
    private readonly routing: RoutingAdmin,
  ) {}

  async list(ability: AppAbility): Promise<Team[]> {
    const teams = (await this.teams.findAll()).filter((team) => ability.can(Action.Read, subjectOf(team)));
    return this.views(teams);
  }

  create(input: CreateTeamInput): Promise<Team> {
    return this.serial.run(async () => {
      const name = checkName(input.name);
      if (await this.teams.findByName(name))
        throw GqlErrors.badUserInput(`name: a team named '${name}' already exists`);
      const memberIds = [...new Set(input.memberIds ?? [])];
      await this.assertUsersExist(memberIds);
      const now = new Date();
      const team: StoredTeam = {
        id: randomUUID(),
        name,
        description: input.description?.trim() || null,
        limits: parseLimits(input.limits),
        createdAt: now,
        updatedAt: now,
      };
      await this.teams.save(team);
      for (const userId of memberIds) await this.teams.addMember({ teamId: team.id, userId, createdAt: now });
      await this.changed();
      return (await this.views([team]))[0];
    });
  }

  update(id: string, input: UpdateTeamInput, ability: AppAbility): Promise<Team> {
    return this.serial.run(async () => {
      const stored = await this.findFor(Action.Update, id, ability);
      assertMayWriteFields(ability, Action.Update, subjectOf(stored), givenFields(input), `the team '${stored.name}'`);
      const next: StoredTeam = { ...stored, updatedAt: new Date() };
      if (input.name != null && input.name !== stored.name) {
        next.name = checkName(input.name);
        if (await this.teams.findByName(next.name)) {
          throw GqlErrors.badUserInput(`name: a team named '${next.name}' already exists`);
        }
      }
      if (input.description !== undefined) next.description = input.description?.trim() || null;
      if (input.limits !== undefined) next.limits = parseLimits(input.limits);
      await this.teams.save(next);
      await this.changed();
      return (await this.views([next]))[0];
    });
  }

  /** Refused while keys belong to the team: revoke them or give them to someone else first. */
  delete(id: string, ability: AppAbility): Promise<Team> {
    return this.serial.run(async () => {
      const stored = await this.findFor(Action.Delete, id, ability);
      const owned = (await this.keys.findAll()).filter((key) => key.teamId === id && !key.revokedAt);
      if (owned.length) {
        throw GqlErrors.badUserInput(
          `The team '${stored.name}' still owns gateway keys (${owned.map((k) => k.name).join(', ')}): revoke them or move them first.`,
        );
      }
      const view = (await this.views([stored]))[0];
      await this.teams.delete(id);
      await this.changed();
      return view;
    });
  }

  setMember(teamId: string, userId: string, member: boolean, ability: AppAbility): Promise<Team> {
    return this.serial.run(async () => {
      const team = await this.findFor(Action.Update, teamId, ability);
      // Membership decides who reads the team's keys: a field of its own, for roles with field lists.
      assertMayWriteFields(ability, Action.Update, subjectOf(team), ['members'], `the team '${team.name}'`);
      if (member) {
        const user = await this.users.findById(userId);
        if (!user || !ability.can(Action.Read, userSubject(user))) {
          throw GqlErrors.badUserInput(`userId: no user you may see has the id '${userId}'`);
        }
        await this.teams.addMember({ teamId, userId, createdAt: new Date() });
      } else if (!(await this.teams.removeMember(teamId, userId))) {
        throw GqlErrors.notFound(`The user '${userId}' is not a member of the team '${team.name}'.`);
      }
      await this.changed();
      return (await this.views([team]))[0];
    });
  }

  private async changed(): Promise<void> {
    await this.directory.changed();
    // Team limits and memberships are part of what the proxy serves from memory.
    await this.routing.catalogChanged();
  }

  private async findFor(action: Action, id: string, ability: AppAbility): Promise<StoredTeam> {
    const team = await this.teams.findById(id);
    if (!team || !ability.can(Action.Read, subjectOf(team))) throw GqlErrors.notFound(`No team has the id '${id}'.`);
    if (!ability.can(action, subjectOf(team)))
      throw GqlErrors.forbidden(`You may not ${action} the team '${team.name}'.`);
    return team;
  }

  private async assertUsersExist(ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      if (!(await this.users.findById(id))) throw GqlErrors.badUserInput(`memberIds: no user has the id '${id}'`);
    }
  }

  private async views(teams: readonly StoredTeam[]): Promise<Team[]> {
    const [memberships, users] = await Promise.all([this.teams.memberships(), this.users.findAll()]);
    const byId = new Map(users.map((u) => [u.id, u]));
    return teams.map((team) => ({
      id: team.id,
      name: team.name,
      description: team.description,
      limits: toLimitsView(team.limits),
      createdAt: team.createdAt,
      members: memberships
        .filter((m) => m.teamId === team.id)
        .flatMap((m) => {
          const user = byId.get(m.userId);
          return user ? [{ id: user.id, email: user.email, name: user.name }] : [];
        }),
    }));
  }
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!TEAM_NAME.test(trimmed)) {
    throw GqlErrors.badUserInput(`name: '${name}' must be 1-64 letters, digits, dots, dashes or underscores`);
  }
  return trimmed;
}

function subjectOf(team: StoredTeam) {
  return asSubject('Team', { id: team.id, name: team.name });
}
