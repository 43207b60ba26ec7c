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
import { confirmAction } from '../keys/confirm-dialog';
import { ChannelForm, type ChannelFormData } from './channel-form';
import {
  CHANNELS,
  DELETE_CHANNEL,
  ROUTING_TARGETS,
  TEST_CHANNEL,
  UPDATE_CHANNEL,
  type Channel,
  type ChannelCheck,
  type RoutingTarget,
  type TargetState,
} from './channels.graphql';

const STATE_ORDER: readonly TargetState[] = ['COOLING_DOWN', 'HALF_OPEN', 'DISABLED', 'HEALTHY'];

/**
 * Channels: the upstream APIs, their health as the gateway reports it (the routing targets'
 * circuit states and last checks), with create, edit, enable/disable and delete for the accounts
 * whose role allows them. The API key is never shown, only its hint.
 */
@Component({
  selector: 'app-channels-page',
  imports: [DatePipe, DecimalPipe, MatButtonModule, MatIconModule, MatProgressBarModule, MatTableModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './channels-page.html',
  styleUrls: ['../../ui/area-page.css', '../routes/routes.css'],
})
export class ChannelsPage {
  private readonly apollo = inject(Apollo);
  private readonly dialog = inject(MatDialog);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly ability = inject(AbilityService);

  private readonly list = listQuery(() =>
    this.apollo
      .query({ query: CHANNELS, fetchPolicy: 'network-only' })
      .pipe(map((result) => result.data?.channels ?? [])),
  );
  protected readonly channels = this.list.items;
  protected readonly targets = signal<RoutingTarget[]>([]);
  protected readonly loading = this.list.loading;
  protected readonly error = this.list.error;
  protected readonly healthError = signal<string | null>(null);
  protected readonly actionError = signal<string | null>(null);
  /** The channel whose last health checks are shown. */
  protected readonly checked = signal<Channel | null>(null);
  /** The last "test connection" and its answer (null while it runs). */
  protected readonly tested = signal<{ channel: Channel; check: ChannelCheck | null; error: string | null } | null>(
    null,
  );

  protected readonly canCreate = computed(() => this.ability.can('create', 'Channel'));
  protected readonly canUpdate = computed(() => this.ability.can('update', 'Channel'));
  protected readonly canDelete = computed(() => this.ability.can('delete', 'Channel'));
  protected readonly canReadHealth = computed(() => this.ability.can('read', 'RoutingTarget'));
  protected readonly columns = ['name', 'type', 'baseUrl', 'models', 'enabled', 'health', 'apiKey', 'actions'];

  protected readonly checkedTargets = computed(() => {
    const channel = this.checked();
    return channel ? this.targetsOf(channel) : [];
  });

  constructor() {
    this.load();
  }

  load(): void {
    this.list.load();
    this.loadHealth();
  }

  protected loadHealth(): void {
    if (!this.canReadHealth()) return;
    this.healthError.set(null);
    this.apollo
      .query({ query: ROUTING_TARGETS, fetchPolicy: 'network-only' })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (result) => this.targets.set(result.data?.routingTargets ?? []),
        error: (error: unknown) => this.healthError.set(errorMessage(error)),
      });
  }

  protected targetsOf(channel: Channel): RoutingTarget[] {
    return this.targets().filter((t) => t.channelId === channel.id);
  }

  /** Each state the channel's targets are in, worst first, with how many targets. */
  protected states(channel: Channel): { state: TargetState; count: number }[] {
    const targets = this.targetsOf(channel);
    return STATE_ORDER.map((state) => ({ state, count: targets.filter((t) => t.state === state).length })).filter(
      (s) => s.count > 0,
    );
  }

  protected openForm(channel: Channel | null): void {
    this.actionError.set(null);
    this.dialog
      .open<ChannelForm, ChannelFormData, Channel>(ChannelForm, { data: { channel }, width: '600px' })
      .afterClosed()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((saved) => {
        if (!saved) return;
        this.upsert(saved);
        this.loadHealth();
      });
  }

  protected toggle(channel: Channel): void {
    this.actionError.set(null);
    this.apollo
      .mutate({ mutation: UPDATE_CHANNEL, variables: { id: channel.id, input: { enabled: !channel.enabled } } })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (result) => {
          if (result.data) this.upsert(result.data.updateChannel);
          this.loadHealth();
        },
        error: (error: unknown) => this.actionError.set(errorMessage(error)),
      });
  }

  protected check(channel: Channel): void {
    this.checked.set(channel);
    this.loadHealth();
  }

  /** Asks the gateway to call the channel's upstream now; the verdict also updates its health. */
  protected test(channel: Channel): void {
    this.tested.set({ channel, check: null, error: null });
    this.apollo
      .mutate({ mutation: TEST_CHANNEL, variables: { id: channel.id } })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (result) => {
          this.tested.set({ channel, check: result.data?.testChannel ?? null, error: null });
          this.loadHealth();
        },
        error: (error: unknown) => this.tested.set({ channel, check: null, error: errorMessage(error) }),
      });
  }

  protected remove(channel: Channel): void {
    this.actionError.set(null);
    confirmAction(this.dialog, {
      title: 'channels.delete.title',
      message: 'channels.delete.message',
      params: { name: channel.name },
      confirm: 'channels.actions.delete',
      testId: 'channels-delete-confirm',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.apollo.mutate({ mutation: DELETE_CHANNEL, variables: { id: channel.id } })),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => {
          this.channels.update((list) => list.filter((c) => c.id !== channel.id));
          if (this.checked()?.id === channel.id) this.checked.set(null);
        },
        error: (error: unknown) => this.actionError.set(errorMessage(error)),
      });
  }

  private upsert(channel: Channel): void {
    this.channels.update((list) =>
      [...list.filter((c) => c.id !== channel.id), channel].sort((a, b) => a.name.localeCompare(b.name)),
    );
  }
}
