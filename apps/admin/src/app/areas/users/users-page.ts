import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslatePipe } from '@ngx-translate/core';
import { BUILT_IN_ROLES } from '@synapse/rbac';
import { Apollo } from 'apollo-angular';
import { filter, map, switchMap } from 'rxjs';
import { AbilityService } from '../../core/ability.service';
import { errorMessage } from '../../core/error-message';
import { listQuery } from '../../ui/list-query';
import { confirmAction } from '../../ui/confirm-dialog';
import { UserForm } from './user-form';
import { DELETE_USER, ROLE_NAMES, USERS, type User } from './users.graphql';

/**
 * Accounts: who signs in to the console and with which role. Creating, changing and deleting are
 * offered only as the CASL rules allow on each account (an admin does not touch owners).
 */
@Component({
  selector: 'app-users-page',
  imports: [DecimalPipe, MatButtonModule, MatIconModule, MatProgressBarModule, MatTableModule, TranslatePipe, UserForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './users-page.html',
  styleUrls: ['../../ui/area-page.css', '../keys/keys.css'],
})
export class UsersPage {
  private readonly apollo = inject(Apollo);
  private readonly dialog = inject(MatDialog);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly ability = inject(AbilityService);

  private readonly list = listQuery(() =>
    this.apollo.query({ query: USERS, fetchPolicy: 'network-only' }).pipe(map((result) => result.data?.users ?? [])),
  );
  protected readonly users = this.list.items;
  protected readonly loading = this.list.loading;
  protected readonly error = this.list.error;
  protected readonly actionError = signal<string | null>(null);
  private readonly roleNames = signal<string[]>([...BUILT_IN_ROLES]);
  protected readonly editing = signal<User | 'new' | null>(null);
  protected readonly columns = ['email', 'name', 'role', 'signIn', 'teams', 'spend', 'actions'];

  protected readonly canCreate = computed(() => this.ability.can('create', 'User'));
  /** The roles this account may give: an admin may not make anyone owner. */
  protected readonly givableRoles = computed(() =>
    this.roleNames().filter((role) => this.ability.canOn('create', 'User', { role })),
  );
  protected readonly formUser = computed(() => {
    const editing = this.editing();
    return editing === 'new' ? null : editing;
  });

  constructor() {
    this.load();
    if (this.ability.can('read', 'Role')) {
      this.apollo
        .query({ query: ROLE_NAMES, fetchPolicy: 'network-only' })
        .pipe(takeUntilDestroyed(this.destroyRef))
        .subscribe({
          next: (r) => {
            if (r.data?.roles.length) this.roleNames.set(r.data.roles.map((role) => role.name));
          },
          // The built-in names stay: the form still works.
          error: () => undefined,
        });
    }
  }

  load(): void {
    this.list.load();
  }

  protected can(action: 'update' | 'delete', user: User): boolean {
    if (action === 'delete' && user.id === this.ability.account()?.id) return false;
    return this.ability.canOn(action, 'User', { ...user });
  }

  protected onSaved(user: User): void {
    this.editing.set(null);
    this.users.update((users) =>
      [...users.filter((u) => u.id !== user.id), user].sort((a, b) => a.email.localeCompare(b.email)),
    );
  }

  protected remove(user: User): void {
    this.actionError.set(null);
    confirmAction(this.dialog, {
      title: 'users.delete.title',
      message: 'users.delete.message',
      params: { email: user.email },
      confirm: 'users.actions.delete',
      testId: 'users-delete-confirm',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.apollo.mutate({ mutation: DELETE_USER, variables: { id: user.id } })),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => this.users.update((users) => users.filter((u) => u.id !== user.id)),
        error: (error: unknown) => this.actionError.set(errorMessage(error)),
      });
  }
}
