import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslatePipe } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import { filter, map, switchMap } from 'rxjs';
import { AbilityService } from '../../core/ability.service';
import { errorMessage } from '../../core/error-message';
import { listQuery } from '../../ui/list-query';
import { confirmAction } from '../../ui/confirm-dialog';
import { COUNT_LIMITS, BUDGET_LIMITS } from '../keys/limits-form';
import { TeamForm } from './team-form';
import {
  ADD_TEAM_MEMBER,
  DELETE_TEAM,
  REMOVE_TEAM_MEMBER,
  TEAM_CANDIDATES,
  TEAMS,
  type Team,
  type TeamMember,
} from './teams.graphql';

/** Teams and their members: groups that own gateway keys together, with limits on all their keys. */
@Component({
  selector: 'app-teams-page',
  imports: [
    DecimalPipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatTableModule,
    TranslatePipe,
    TeamForm,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './teams-page.html',
  styleUrls: ['../../ui/area-page.css', '../keys/keys.css'],
})
export class TeamsPage {
  private readonly apollo = inject(Apollo);
  private readonly dialog = inject(MatDialog);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly ability = inject(AbilityService);

  private readonly list = listQuery(() =>
    this.apollo.query({ query: TEAMS, fetchPolicy: 'network-only' }).pipe(map((result) => result.data?.teams ?? [])),
  );
  protected readonly teams = this.list.items;
  protected readonly loading = this.list.loading;
  protected readonly error = this.list.error;
  protected readonly actionError = signal<string | null>(null);
  protected readonly candidates = signal<TeamMember[]>([]);
  protected readonly editing = signal<Team | 'new' | null>(null);
  /** The team whose members are being managed. */
  protected readonly membersOf = signal<string | null>(null);
  protected readonly newMember = new FormControl('', { nonNullable: true });
  protected readonly columns = ['name', 'description', 'members', 'limits', 'spend', 'actions'];

  protected readonly canCreate = computed(() => this.ability.can('create', 'Team'));
  protected readonly formTeam = computed(() => {
    const editing = this.editing();
    return editing === 'new' ? null : editing;
  });
  protected readonly managed = computed(() => this.teams().find((t) => t.id === this.membersOf()) ?? null);
  protected readonly addable = computed(() => {
    const members = new Set(this.managed()?.members.map((m) => m.id));
    return this.candidates().filter((user) => !members.has(user.id));
  });

  constructor() {
    this.load();
    if (this.ability.canOn('read', 'User', { id: null })) {
      this.apollo
        .query({ query: TEAM_CANDIDATES, fetchPolicy: 'network-only' })
        .pipe(takeUntilDestroyed(this.destroyRef))
        .subscribe({ next: (r) => this.candidates.set(r.data?.users ?? []), error: () => this.candidates.set([]) });
    }
  }

  load(): void {
    this.list.load();
  }

  protected can(action: 'update' | 'delete', team: Team): boolean {
    return this.ability.canOn(action, 'Team', { ...team });
  }

  protected limitsSummary(team: Team): string {
    const limits = team.limits;
    if (!limits) return '';
    return [...COUNT_LIMITS, ...BUDGET_LIMITS]
      .filter((name) => limits[name] !== null && limits[name] !== undefined)
      .map((name) => `${name} ${limits[name]}`)
      .join(', ');
  }

  protected memberLabel(member: TeamMember): string {
    return member.name ? `${member.name} <${member.email}>` : member.email;
  }

  protected onSaved(team: Team): void {
    this.editing.set(null);
    this.replace(team);
  }

  protected addMember(team: Team): void {
    const userId = this.newMember.value;
    if (!userId) return;
    this.actionError.set(null);
    this.apollo.mutate({ mutation: ADD_TEAM_MEMBER, variables: { teamId: team.id, userId } }).subscribe({
      next: (result) => {
        if (result.data) this.replace(result.data.addTeamMember);
        this.newMember.setValue('');
      },
      error: (error: unknown) => this.actionError.set(errorMessage(error)),
    });
  }

  protected removeMember(team: Team, member: TeamMember): void {
    this.actionError.set(null);
    this.apollo.mutate({ mutation: REMOVE_TEAM_MEMBER, variables: { teamId: team.id, userId: member.id } }).subscribe({
      next: (result) => {
        if (result.data) this.replace(result.data.removeTeamMember);
      },
      error: (error: unknown) => this.actionError.set(errorMessage(error)),
    });
  }

  protected remove(team: Team): void {
    this.actionError.set(null);
    confirmAction(this.dialog, {
      title: 'teams.delete.title',
      message: 'teams.delete.message',
      params: { name: team.name },
      confirm: 'teams.actions.delete',
      testId: 'teams-delete-confirm',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.apollo.mutate({ mutation: DELETE_TEAM, variables: { id: team.id } })),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => {
          this.teams.update((teams) => teams.filter((t) => t.id !== team.id));
          if (this.membersOf() === team.id) this.membersOf.set(null);
        },
        error: (error: unknown) => this.actionError.set(errorMessage(error)),
      });
  }

  private replace(team: Team): void {
    this.teams.update((teams) =>
      [...teams.filter((t) => t.id !== team.id), team].sort((a, b) => a.name.localeCompare(b.name)),
    );
  }
}
