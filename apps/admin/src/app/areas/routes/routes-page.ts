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
import type { RoutingTarget } from '../channels/channels.graphql';
import { confirmAction } from '../keys/confirm-dialog';
import { RouteForm, type RouteFormData } from './route-form';
import {
  DELETE_ROUTE,
  ROUTES,
  ROUTE_CHANNELS,
  ROUTE_TARGET_STATES,
  SET_TARGET_DISABLED,
  type Route,
  type RouteTarget,
} from './routes.graphql';

/**
 * Routes: the public model names and their targets, with each target's live state (the gateway's
 * routing targets), taking a target out of rotation and back, and create, edit and delete for the
 * accounts whose role allows them.
 */
@Component({
  selector: 'app-routes-page',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule, MatTableModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './routes-page.html',
  styleUrls: ['../../ui/area-page.css', './routes.css'],
})
export class RoutesPage {
  private readonly apollo = inject(Apollo);
  private readonly dialog = inject(MatDialog);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly ability = inject(AbilityService);

  private readonly list = listQuery(() =>
    this.apollo.query({ query: ROUTES, fetchPolicy: 'network-only' }).pipe(map((result) => result.data?.routes ?? [])),
  );
  protected readonly routes = this.list.items;
  protected readonly states = signal<RoutingTarget[]>([]);
  protected readonly channels = signal<string[]>([]);
  /** The form takes the channel list when it opens: "New route" waits for it. */
  protected readonly channelsLoaded = signal(false);
  /** Names of the Dify channels: their targets pick the app type rather than a model. */
  private readonly difyChannels = signal<string[]>([]);
  protected readonly loading = this.list.loading;
  protected readonly error = this.list.error;
  protected readonly statesError = signal<string | null>(null);
  protected readonly actionError = signal<string | null>(null);

  /** upsertRoute needs both create and update. */
  protected readonly canWrite = computed(
    () => this.ability.can('create', 'Route') && this.ability.can('update', 'Route'),
  );
  protected readonly canDelete = computed(() => this.ability.can('delete', 'Route'));
  protected readonly canReadStates = computed(() => this.ability.can('read', 'RoutingTarget'));
  protected readonly canToggleTargets = computed(() => this.ability.can('update', 'RoutingTarget'));
  protected readonly columns = ['name', 'strategy', 'targets', 'actions'];

  constructor() {
    this.load();
    if (this.canWrite() && this.ability.can('read', 'Channel')) {
      this.apollo
        .query({ query: ROUTE_CHANNELS, fetchPolicy: 'network-only' })
        .pipe(takeUntilDestroyed(this.destroyRef))
        .subscribe({
          next: (result) => {
            const channels = result.data?.channels ?? [];
            this.channels.set(channels.map((c) => c.name));
            this.difyChannels.set(channels.filter((c) => c.type === 'DIFY').map((c) => c.name));
            this.channelsLoaded.set(true);
          },
          error: () => {
            this.channels.set([]);
            this.channelsLoaded.set(true);
          },
        });
    } else {
      this.channelsLoaded.set(true);
    }
  }

  load(): void {
    this.list.load();
    this.loadStates();
  }

  protected loadStates(): void {
    if (!this.canReadStates()) return;
    this.statesError.set(null);
    this.apollo
      .query({ query: ROUTE_TARGET_STATES, fetchPolicy: 'network-only' })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (result) => this.states.set(result.data?.routingTargets ?? []),
        error: (error: unknown) => this.statesError.set(errorMessage(error)),
      });
  }

  /** The live state of a route's target, when the gateway reports one. */
  protected stateOf(target: RouteTarget): RoutingTarget | undefined {
    return this.states().find((s) => s.channelId === target.channelId && s.model === target.model);
  }

  protected openForm(route: Route | null): void {
    this.actionError.set(null);
    this.dialog
      .open<RouteForm, RouteFormData, Route>(RouteForm, {
        data: { route, channels: this.channels(), difyChannels: this.difyChannels() },
        width: '800px',
        maxWidth: '95vw',
      })
      .afterClosed()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe((saved) => {
        if (!saved) return;
        this.routes.update((list) =>
          [...list.filter((r) => r.name !== saved.name), saved].sort((a, b) => a.name.localeCompare(b.name)),
        );
        this.loadStates();
      });
  }

  protected toggleTarget(state: RoutingTarget): void {
    this.actionError.set(null);
    this.apollo
      .mutate({
        mutation: SET_TARGET_DISABLED,
        variables: { id: state.id, disabled: state.state !== 'DISABLED' },
      })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (result) => {
          const changed = result.data?.setRoutingTargetDisabled;
          if (changed) this.states.update((list) => list.map((s) => (s.id === changed.id ? changed : s)));
        },
        error: (error: unknown) => this.actionError.set(errorMessage(error)),
      });
  }

  protected remove(route: Route): void {
    this.actionError.set(null);
    confirmAction(this.dialog, {
      title: 'routes.delete.title',
      message: 'routes.delete.message',
      params: { name: route.name },
      confirm: 'routes.actions.delete',
      testId: 'routes-delete-confirm',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.apollo.mutate({ mutation: DELETE_ROUTE, variables: { name: route.name } })),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => this.routes.update((list) => list.filter((r) => r.name !== route.name)),
        error: (error: unknown) => this.actionError.set(errorMessage(error)),
      });
  }
}
