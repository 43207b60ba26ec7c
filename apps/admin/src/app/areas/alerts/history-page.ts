import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslatePipe } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import { AbilityService } from '../../core/ability.service';
import { errorMessage } from '../../core/error-message';
import {
  ALERT_EVENTS,
  HISTORY_CHANNELS,
  HISTORY_RULES,
  NOTIFICATION_DELIVERIES,
  type AlertEvent,
  type NotificationDelivery,
} from './alerts.graphql';

interface ListState<T> {
  readonly loading: boolean;
  readonly error: string | null;
  readonly items: T[];
}

export const HISTORY_LIMITS = [50, 100, 500, 1000] as const;

/**
 * Alert history: the events of the rules (pending, firing, repeat, resolved) and the notifications
 * sent with each receiver's answer, newest first, with the filters the API takes (rule, channel,
 * one event, how many).
 */
@Component({
  selector: 'app-alert-history-page',
  imports: [
    DatePipe,
    DecimalPipe,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatTableModule,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './history-page.html',
  styleUrls: ['../../ui/area-page.css', './alerts.css'],
})
export class HistoryPage {
  private readonly apollo = inject(Apollo);
  private readonly destroyRef = inject(DestroyRef);
  private readonly ability = inject(AbilityService);

  protected readonly limits = HISTORY_LIMITS;
  protected readonly rules = signal<{ id: string; name: string }[]>([]);
  protected readonly channels = signal<{ id: string; name: string }[]>([]);
  protected readonly ruleId = signal('');
  protected readonly channelId = signal('');
  protected readonly limit = signal<number>(100);
  /** Only the deliveries of this event, chosen from the events table. */
  protected readonly event = signal<AlertEvent | null>(null);
  protected readonly events = signal<ListState<AlertEvent>>({ loading: true, error: null, items: [] });
  protected readonly deliveries = signal<ListState<NotificationDelivery>>({ loading: true, error: null, items: [] });

  protected readonly eventColumns = ['at', 'rule', 'type', 'value', 'summary', 'actions'];
  protected readonly deliveryColumns = ['at', 'rule', 'channel', 'outcome', 'status', 'attempts', 'detail'];
  /** Rule names, the deleted rules' too (their events keep the name). */
  private readonly ruleNames = computed(() => {
    const names = new Map(this.events().items.map((e) => [e.ruleId, e.ruleName]));
    for (const rule of this.rules()) names.set(rule.id, rule.name);
    return names;
  });

  constructor() {
    this.apollo
      .query({ query: HISTORY_RULES, fetchPolicy: 'network-only' })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (r) => this.rules.set(r.data?.alertRules ?? []),
        error: () => this.rules.set([]),
      });
    if (this.ability.can('read', 'NotificationChannel')) {
      this.apollo
        .query({ query: HISTORY_CHANNELS, fetchPolicy: 'network-only' })
        .pipe(takeUntilDestroyed(this.destroyRef))
        .subscribe({
          next: (r) => this.channels.set(r.data?.notificationChannels ?? []),
          error: () => this.channels.set([]),
        });
    }
    this.load();
  }

  load(): void {
    this.loadEvents();
    this.loadDeliveries();
  }

  protected setRule(id: string): void {
    this.ruleId.set(id);
    this.event.set(null);
    this.load();
  }

  protected setChannel(id: string): void {
    this.channelId.set(id);
    this.loadDeliveries();
  }

  protected setLimit(limit: string): void {
    this.limit.set(Number(limit));
    this.load();
  }

  protected showEvent(event: AlertEvent | null): void {
    this.event.set(event);
    this.loadDeliveries();
  }

  protected ruleName(id: string | null): string | null {
    return id ? (this.ruleNames().get(id) ?? id) : null;
  }

  protected channelName(id: string): string {
    return this.channels().find((c) => c.id === id)?.name ?? id;
  }

  private loadEvents(): void {
    this.events.set({ loading: true, error: null, items: this.events().items });
    const variables = { limit: this.limit(), ...(this.ruleId() && { ruleId: this.ruleId() }) };
    this.apollo
      .query({ query: ALERT_EVENTS, variables, fetchPolicy: 'network-only' })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (r) => this.events.set({ loading: false, error: null, items: r.data?.alertEvents ?? [] }),
        error: (error: unknown) => this.events.set({ loading: false, error: errorMessage(error), items: [] }),
      });
  }

  private loadDeliveries(): void {
    this.deliveries.set({ loading: true, error: null, items: this.deliveries().items });
    const event = this.event();
    const variables = {
      limit: this.limit(),
      ...(event ? { alertEventId: event.id } : this.ruleId() && { ruleId: this.ruleId() }),
      ...(this.channelId() && { channelId: this.channelId() }),
    };
    this.apollo
      .query({ query: NOTIFICATION_DELIVERIES, variables, fetchPolicy: 'network-only' })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (r) => this.deliveries.set({ loading: false, error: null, items: r.data?.notificationDeliveries ?? [] }),
        error: (error: unknown) => this.deliveries.set({ loading: false, error: errorMessage(error), items: [] }),
      });
  }
}
