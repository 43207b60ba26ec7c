import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InvalidationBus } from '@synapse/gateway/cluster';
import { RoleRepository, TeamRepository, UserRepository } from '@synapse/gateway/persistence';
import { AccessSnapshot, type DirectoryUser } from './access-snapshot';

/**
 * Users' current roles and teams and the custom roles, read once and kept until something changes
 * (on any replica: the `access` topic). Authorization reads the role from here rather than from the
 * access token, so that a role change, a new team or a deleted account counts at the next request.
 * Only the admin API reads it; the proxy's hot path does not.
 */
@Injectable()
export class AccessDirectory implements OnModuleInit {
  private readonly logger = new Logger(AccessDirectory.name);
  private snapshot: Promise<AccessSnapshot> | undefined;
  private generation = 0;
  private loadedAt = 0;

  constructor(
    private readonly users: UserRepository,
    private readonly teams: TeamRepository,
    private readonly roles: RoleRepository,
    private readonly bus: InvalidationBus,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe('access', () => this.forget());
  }

  current(): Promise<AccessSnapshot> {
    if (this.snapshot) return this.snapshot;
    const generation = this.generation;
    const loading = this.load();
    this.snapshot = loading;
    // A change heard while reading makes what was read stale: keep it for this caller only.
    loading.then(
      () => {
        if (this.generation !== generation && this.snapshot === loading) this.snapshot = undefined;
      },
      () => {
        if (this.snapshot === loading) this.snapshot = undefined;
      },
    );
    return loading;
  }

  /**
   * Reads afresh unless the last read is younger than `maxAgeMs`: for an account the snapshot does
   * not know, which may have been created by a path that did not announce it (or on a replica whose
   * message is still on its way). Bounded, so that a deleted account's token cannot force reads.
   */
  async refreshed(maxAgeMs = 1_000): Promise<AccessSnapshot> {
    if (Date.now() - this.loadedAt >= maxAgeMs) this.forget();
    return this.current();
  }

  /** Call after storing a change to users, teams or roles: every replica reads afresh. */
  async changed(): Promise<void> {
    this.forget();
    await this.bus.publish('access').catch((error: Error) => {
      this.logger.error(`could not tell other replicas that access changed: ${error.message}`);
    });
  }

  private forget(): void {
    this.generation++;
    this.snapshot = undefined;
  }

  private async load(): Promise<AccessSnapshot> {
    this.loadedAt = Date.now();
    const [users, memberships, roles] = await Promise.all([
      this.users.findAll(),
      this.teams.memberships(),
      this.roles.findAll(),
    ]);
    const teamIds = new Map<string, string[]>();
    for (const { userId, teamId } of memberships) teamIds.set(userId, [...(teamIds.get(userId) ?? []), teamId]);
    return new AccessSnapshot(
      new Map(users.map((u): [string, DirectoryUser] => [u.id, { id: u.id, email: u.email, role: u.role }])),
      teamIds,
      new Map(roles.map((r) => [r.name, { name: r.name, description: r.description, rules: r.rules }])),
    );
  }
}
