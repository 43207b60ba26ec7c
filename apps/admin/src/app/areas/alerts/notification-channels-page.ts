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
import { confirmAction } from '../keys/confirm-dialog';
import {
  DELETE_NOTIFICATION_CHANNEL,
  NOTIFICATION_CHANNELS,
  TEST_NOTIFICATION_CHANNEL,
  type NotificationChannel,
  type NotificationDelivery,
} from './alerts.graphql';
import { ChannelForm } from './channel-form';

/** The outcome of the last test send: the delivery the API answered, or the error of the call. */
interface TestOutcome {
  readonly channel: string;
  readonly running: boolean;
  readonly delivery?: NotificationDelivery;
  readonly error?: string;
}

/**
 * Notification channels: where alerts are sent, with create, change, test send and delete where
 * the account may. Secrets show only as the hint the API gives.
 */
@Component({
  selector: 'app-notification-channels-page',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule, MatTableModule, TranslatePipe, ChannelForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './notification-channels-page.html',
  styleUrls: ['../../ui/area-page.css', './alerts.css'],
})
export class NotificationChannelsPage {
  private readonly apollo = inject(Apollo);
  private readonly dialog = inject(MatDialog);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly ability = inject(AbilityService);

  private readonly list = listQuery(() =>
    this.apollo
      .query({ query: NOTIFICATION_CHANNELS, fetchPolicy: 'network-only' })
      .pipe(map((result) => result.data?.notificationChannels ?? [])),
  );
  protected readonly channels = this.list.items;
  protected readonly loading = this.list.loading;
  protected readonly error = this.list.error;
  protected readonly actionError = signal<string | null>(null);
  protected readonly test = signal<TestOutcome | null>(null);
  protected readonly editing = signal<NotificationChannel | 'new' | null>(null);
  protected readonly formChannel = computed(() => {
    const editing = this.editing();
    return editing === 'new' ? null : editing;
  });
  /** One entry while the form is open, so that editing another channel makes a new form. */
  protected readonly forms = computed(() => {
    const editing = this.editing();
    return editing === null ? [] : [editing];
  });

  protected readonly canCreate = computed(() => this.ability.can('create', 'NotificationChannel'));
  protected readonly canUpdate = computed(() => this.ability.can('update', 'NotificationChannel'));
  protected readonly canDelete = computed(() => this.ability.can('delete', 'NotificationChannel'));
  protected readonly columns = computed(() => [
    'name',
    'kind',
    'target',
    'signed',
    'enabled',
    ...(this.canUpdate() || this.canDelete() ? ['actions'] : []),
  ]);

  constructor() {
    this.load();
  }

  load(): void {
    this.list.load();
  }

  protected target(channel: NotificationChannel): string {
    if (channel.smtp) return `${channel.smtp.host}:${channel.smtp.port} → ${channel.smtp.to.join(', ')}`;
    return channel.secretHint ?? '—';
  }

  protected onSaved(channel: NotificationChannel): void {
    this.editing.set(null);
    this.channels.update((all) =>
      [...all.filter((c) => c.id !== channel.id), channel].sort((a, b) => a.name.localeCompare(b.name)),
    );
  }

  protected sendTest(channel: NotificationChannel): void {
    this.test.set({ channel: channel.name, running: true });
    this.apollo
      .mutate({ mutation: TEST_NOTIFICATION_CHANNEL, variables: { id: channel.id } })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (result) =>
          this.test.set({ channel: channel.name, running: false, delivery: result.data?.testNotificationChannel }),
        error: (error: unknown) => this.test.set({ channel: channel.name, running: false, error: errorMessage(error) }),
      });
  }

  protected remove(channel: NotificationChannel): void {
    this.actionError.set(null);
    confirmAction(this.dialog, {
      title: 'alerts.notifications.deleteTitle',
      message: 'alerts.notifications.deleteMessage',
      params: { name: channel.name },
      confirm: 'alerts.common.delete',
      testId: 'notifications-delete-confirm',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.apollo.mutate({ mutation: DELETE_NOTIFICATION_CHANNEL, variables: { id: channel.id } })),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => {
          this.channels.update((all) => all.filter((c) => c.id !== channel.id));
          if (this.formChannel()?.id === channel.id) this.editing.set(null);
        },
        error: (error: unknown) => this.actionError.set(errorMessage(error)),
      });
  }
}
