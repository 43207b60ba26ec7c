import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslatePipe } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import { filter, map, switchMap } from 'rxjs';
import { AbilityService } from '../../core/ability.service';
import { errorMessage } from '../../core/error-message';
import { listQuery } from '../../ui/list-query';
import { confirmAction } from '../../ui/confirm-dialog';
import { RoleForm } from './role-form';
import { fromRule } from './role-rules';
import { DELETE_ROLE, ROLES, type Role, type RoleRule } from './roles.graphql';

/**
 * Roles: the built-in ones read-only, custom ones created and changed in a form. Only an owner may
 * write roles (an admin holds an exception for them), so only an owner is offered the buttons.
 */
@Component({
  selector: 'app-roles-page',
  imports: [DatePipe, MatButtonModule, MatIconModule, MatProgressBarModule, TranslatePipe, RoleForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './roles-page.html',
  styleUrls: ['../../ui/area-page.css', '../keys/keys.css', './roles.css'],
})
export class RolesPage {
  private readonly apollo = inject(Apollo);
  private readonly dialog = inject(MatDialog);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly ability = inject(AbilityService);

  private readonly list = listQuery(() =>
    this.apollo.query({ query: ROLES, fetchPolicy: 'network-only' }).pipe(map((result) => result.data?.roles ?? [])),
  );
  protected readonly roles = this.list.items;
  protected readonly loading = this.list.loading;
  protected readonly error = this.list.error;
  protected readonly actionError = signal<string | null>(null);
  protected readonly editing = signal<Role | 'new' | null>(null);

  protected readonly canCreate = computed(() => this.ability.can('create', 'Role'));
  protected readonly canUpdate = computed(() => this.ability.can('update', 'Role'));
  protected readonly canDelete = computed(() => this.ability.can('delete', 'Role'));
  protected readonly formRole = computed(() => {
    const editing = this.editing();
    return editing === 'new' ? null : editing;
  });

  constructor() {
    this.load();
  }

  load(): void {
    this.list.load();
  }

  /** The condition of a rule as one of the form's presets, or null for its JSON. */
  protected conditionKey(rule: RoleRule): string | null {
    const condition = fromRule(rule).condition;
    return condition && condition !== 'custom' ? `roles.condition.${condition}` : null;
  }

  protected json(value: unknown): string {
    return JSON.stringify(value);
  }

  protected onSaved(role: Role): void {
    this.editing.set(null);
    this.roles.update((roles) => {
      const index = roles.findIndex((r) => r.name === role.name);
      return index < 0 ? [...roles, role] : roles.map((r, i) => (i === index ? role : r));
    });
  }

  protected remove(role: Role): void {
    this.actionError.set(null);
    confirmAction(this.dialog, {
      title: 'roles.delete.title',
      message: 'roles.delete.message',
      params: { name: role.name },
      confirm: 'roles.actions.delete',
      testId: 'roles-delete-confirm',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.apollo.mutate({ mutation: DELETE_ROLE, variables: { name: role.name } })),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => this.roles.update((roles) => roles.filter((r) => r.name !== role.name)),
        error: (error: unknown) => this.actionError.set(errorMessage(error)),
      });
  }
}
