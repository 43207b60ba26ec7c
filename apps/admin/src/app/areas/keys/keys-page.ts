import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslatePipe } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import { filter, map, switchMap } from 'rxjs';
import { AbilityService } from '../../core/ability.service';
import { errorMessage } from '../../core/error-message';
import { listQuery } from '../../ui/list-query';
import { confirmAction } from '../../ui/confirm-dialog';
import { KeyForm, type KeySaved } from './key-form';
import { KeyUsage } from './key-usage';
import { KeySecretDialog, type KeySecretDialogData } from './key-secret-dialog';
import {
  GATEWAY_KEYS,
  KEY_OWNERS_TEAMS,
  KEY_OWNERS_USERS,
  REVOKE_GATEWAY_KEY,
  ROTATE_GATEWAY_KEY,
  type GatewayKey,
  type OwnerOption,
} from './keys.graphql';
import { RotateDialog } from './rotate-dialog';

export type KeyStatus = 'active' | 'disabled' | 'expired' | 'revoked';

export function keyStatus(key: GatewayKey, now = Date.now()): KeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= now) return 'expired';
  return key.enabled ? 'active' : 'disabled';
}

/**
 * Gateway keys: the keys the account may see (the API scopes the list: a member gets their own and
 * their teams'), with create, edit, rotate and revoke offered only where the CASL rules allow
 * them on that key.
 */
@Component({
  selector: 'app-keys-page',
  imports: [
    DatePipe,
    DecimalPipe,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    MatTableModule,
    TranslatePipe,
    KeyForm,
    KeyUsage,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './keys-page.html',
  styleUrls: ['../../ui/area-page.css', './keys.css'],
})
export class KeysPage {
  private readonly apollo = inject(Apollo);
  private readonly dialog = inject(MatDialog);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly ability = inject(AbilityService);

  private readonly list = listQuery(() =>
    this.apollo
      .query({ query: GATEWAY_KEYS, fetchPolicy: 'network-only' })
      .pipe(map((result) => result.data?.gatewayKeys ?? [])),
  );
  protected readonly keys = this.list.items;
  protected readonly loading = this.list.loading;
  protected readonly error = this.list.error;
  protected readonly actionError = signal<string | null>(null);
  protected readonly users = signal<OwnerOption[]>([]);
  protected readonly teams = signal<OwnerOption[]>([]);
  /** The key being edited, 'new' while creating, null when the form is closed. */
  protected readonly editing = signal<GatewayKey | 'new' | null>(null);
  /** The key whose usage is shown. */
  protected readonly usageOf = signal<GatewayKey | null>(null);
  protected readonly canReadUsage = computed(() => this.ability.can('read', 'Usage'));

  protected readonly columns = ['name', 'prefix', 'owner', 'models', 'expiresAt', 'status', 'spend', 'actions'];
  protected readonly canCreate = computed(() => this.ability.can('create', 'GatewayKey'));
  /** Only accounts that may create keys for anybody pick an owner; a member owns what they create. */
  protected readonly chooseOwner = computed(() =>
    this.ability.canOn('create', 'GatewayKey', { userId: null, teamId: null }),
  );
  protected readonly formKey = computed(() => {
    const editing = this.editing();
    return editing === 'new' ? null : editing;
  });

  constructor() {
    this.load();
    // Other accounts than one's own (a member and an operator read only theirs).
    if (this.ability.canOn('read', 'User', { id: null })) {
      this.apollo
        .query({ query: KEY_OWNERS_USERS, fetchPolicy: 'network-only' })
        .pipe(takeUntilDestroyed(this.destroyRef))
        .subscribe({
          next: (r) =>
            this.users.set(
              (r.data?.users ?? []).map((u) => ({ id: u.id, label: u.name ? `${u.name} <${u.email}>` : u.email })),
            ),
          error: () => this.users.set([]),
        });
    }
    if (this.ability.can('read', 'Team')) {
      this.apollo
        .query({ query: KEY_OWNERS_TEAMS, fetchPolicy: 'network-only' })
        .pipe(takeUntilDestroyed(this.destroyRef))
        .subscribe({
          next: (r) => this.teams.set((r.data?.teams ?? []).map((t) => ({ id: t.id, label: t.name }))),
          error: () => this.teams.set([]),
        });
    }
  }

  load(): void {
    this.list.load();
  }

  protected status(key: GatewayKey): KeyStatus {
    return keyStatus(key);
  }

  protected can(action: 'update' | 'delete', key: GatewayKey): boolean {
    return !key.revokedAt && this.ability.canOn(action, 'GatewayKey', { ...key });
  }

  protected ownerLabel(key: GatewayKey): { kind: 'user' | 'team' | 'nobody'; label: string } {
    if (key.teamId) return { kind: 'team', label: this.teams().find((t) => t.id === key.teamId)?.label ?? key.teamId };
    if (key.userId) {
      const me = this.ability.account();
      const label =
        me?.id === key.userId ? me.email : (this.users().find((u) => u.id === key.userId)?.label ?? key.userId);
      return { kind: 'user', label };
    }
    return { kind: 'nobody', label: '' };
  }

  protected graceActive(key: GatewayKey): boolean {
    return !!key.previousValidUntil && new Date(key.previousValidUntil).getTime() > Date.now();
  }

  protected onSaved(saved: KeySaved): void {
    this.editing.set(null);
    this.upsert(saved.key);
    if (saved.secret)
      this.showSecret({ name: saved.key.name, secret: saved.secret, rotated: false, previousValidUntil: null });
  }

  protected rotate(key: GatewayKey): void {
    this.actionError.set(null);
    this.dialog
      .open<RotateDialog, { name: string }, number | undefined>(RotateDialog, {
        data: { name: key.name },
        width: '420px',
      })
      .afterClosed()
      .pipe(
        filter((grace): grace is number => typeof grace === 'number'),
        switchMap((graceSeconds) =>
          this.apollo.mutate({ mutation: ROTATE_GATEWAY_KEY, variables: { id: key.id, graceSeconds } }),
        ),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (result) => {
          const rotated = result.data?.rotateGatewayKey;
          if (!rotated) return;
          this.upsert(rotated.key);
          this.showSecret({
            name: rotated.key.name,
            secret: rotated.secret,
            rotated: true,
            previousValidUntil: rotated.key.previousValidUntil,
          });
        },
        error: (error: unknown) => this.actionError.set(errorMessage(error)),
      });
  }

  protected revoke(key: GatewayKey): void {
    this.actionError.set(null);
    confirmAction(this.dialog, {
      title: 'keys.revoke.title',
      message: 'keys.revoke.message',
      params: { name: key.name },
      confirm: 'keys.actions.revoke',
      testId: 'keys-revoke-confirm',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.apollo.mutate({ mutation: REVOKE_GATEWAY_KEY, variables: { id: key.id } })),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (result) => {
          if (result.data) this.upsert(result.data.revokeGatewayKey);
        },
        error: (error: unknown) => this.actionError.set(errorMessage(error)),
      });
  }

  private upsert(key: GatewayKey): void {
    this.keys.update((keys) => {
      const others = keys.filter((k) => k.id !== key.id);
      return [...others, key].sort((a, b) => a.name.localeCompare(b.name));
    });
  }

  /** The secret goes to the dialog only: nothing on this page keeps it. */
  private showSecret(data: KeySecretDialogData): void {
    this.dialog.open(KeySecretDialog, { data, width: '560px', disableClose: true, autoFocus: 'dialog' });
  }
}
