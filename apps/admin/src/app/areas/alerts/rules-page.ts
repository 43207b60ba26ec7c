import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslatePipe } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import { filter, switchMap } from 'rxjs';
import { AbilityService } from '../../core/ability.service';
import { errorMessage } from '../../core/error-message';
import { NamesService } from '../../core/names.service';
import { confirmAction } from '../keys/confirm-dialog';
import {
  ALERT_RULES,
  DELETE_ALERT_RULE,
  NOTIFICATION_CHANNELS,
  type AlertRule,
  type AlertState,
  type NotificationChannel,
} from './alerts.graphql';
import { formatDuration } from './duration';
import { RuleForm } from './rule-form';

/** A rule's condition as a translation key and its parameters. */
export function ruleCondition(rule: AlertRule): { key: string; params: Record<string, unknown> } {
  const value = rule.threshold;
  switch (rule.kind) {
    case 'ERROR_RATE':
      return { key: 'alerts.rules.condition.percent', params: { value } };
    case 'LATENCY':
    case 'TTFT':
      return { key: 'alerts.rules.condition.ms', params: { value, percentile: rule.percentile ?? 95 } };
    case 'BUDGET':
      return { key: 'alerts.rules.condition.budget', params: { value } };
    case 'SPEND_CHANGE':
      return { key: 'alerts.rules.condition.increase', params: { value } };
    case 'CHANNEL_HEALTH':
      return { key: 'alerts.rules.condition.health', params: {} };
    default:
      return { key: 'alerts.rules.condition.noTraffic', params: {} };
  }
}

/**
 * Alert rules with the state the last evaluation left (pending, firing, resolved), and creating,
 * changing and deleting them where the account may.
 */
@Component({
  selector: 'app-alert-rules-page',
  imports: [DatePipe, MatButtonModule, MatIconModule, MatProgressBarModule, MatTableModule, TranslatePipe, RuleForm],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './rules-page.html',
  styleUrls: ['../../ui/area-page.css', './alerts.css'],
})
export class RulesPage {
  private readonly apollo = inject(Apollo);
  private readonly dialog = inject(MatDialog);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly names = inject(NamesService);
  protected readonly ability = inject(AbilityService);

  protected readonly rules = signal<AlertRule[]>([]);
  protected readonly states = signal<ReadonlyMap<string, AlertState>>(new Map());
  protected readonly channels = signal<NotificationChannel[]>([]);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly actionError = signal<string | null>(null);
  /** The rule being edited, 'new' while creating, null when the form is closed. */
  protected readonly editing = signal<AlertRule | 'new' | null>(null);
  protected readonly formRule = computed(() => {
    const editing = this.editing();
    return editing === 'new' ? null : editing;
  });
  /** One entry while the form is open, so that editing another rule makes a new form. */
  protected readonly forms = computed(() => {
    const editing = this.editing();
    return editing === null ? [] : [editing];
  });

  protected readonly canCreate = computed(() => this.ability.can('create', 'Alert'));
  protected readonly canUpdate = computed(() => this.ability.can('update', 'Alert'));
  protected readonly canDelete = computed(() => this.ability.can('delete', 'Alert'));
  protected readonly columns = computed(() => [
    'name',
    'kind',
    'scope',
    'threshold',
    'window',
    'state',
    'channels',
    'enabled',
    ...(this.canUpdate() || this.canDelete() ? ['actions'] : []),
  ]);

  constructor() {
    this.load();
    if (this.ability.can('read', 'NotificationChannel')) {
      this.apollo
        .query({ query: NOTIFICATION_CHANNELS, fetchPolicy: 'network-only' })
        .pipe(takeUntilDestroyed(this.destroyRef))
        .subscribe({
          next: (r) => this.channels.set(r.data?.notificationChannels ?? []),
          error: () => this.channels.set([]),
        });
    }
  }

  load(): void {
    this.loading.set(true);
    this.error.set(null);
    this.apollo
      .query({ query: ALERT_RULES, fetchPolicy: 'network-only' })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (result) => {
          this.rules.set(result.data?.alertRules ?? []);
          this.states.set(new Map((result.data?.alertStates ?? []).map((s) => [s.ruleId, s])));
          this.loading.set(false);
        },
        error: (error: unknown) => {
          this.error.set(errorMessage(error));
          this.loading.set(false);
        },
      });
  }

  protected condition(rule: AlertRule) {
    return ruleCondition(rule);
  }

  protected duration(seconds: number): string {
    return formatDuration(seconds);
  }

  protected channelNames(rule: AlertRule): string {
    return rule.notificationChannelIds.map((id) => this.channels().find((c) => c.id === id)?.name ?? id).join(', ');
  }

  protected onSaved(rule: AlertRule): void {
    this.editing.set(null);
    this.rules.update((rules) =>
      [...rules.filter((r) => r.id !== rule.id), rule].sort((a, b) => a.name.localeCompare(b.name)),
    );
  }

  protected remove(rule: AlertRule): void {
    this.actionError.set(null);
    confirmAction(this.dialog, {
      title: 'alerts.rules.deleteTitle',
      message: 'alerts.rules.deleteMessage',
      params: { name: rule.name },
      confirm: 'alerts.common.delete',
      testId: 'alerts-delete-confirm',
    })
      .pipe(
        filter(Boolean),
        switchMap(() => this.apollo.mutate({ mutation: DELETE_ALERT_RULE, variables: { id: rule.id } })),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => {
          this.rules.update((rules) => rules.filter((r) => r.id !== rule.id));
          if (this.formRule()?.id === rule.id) this.editing.set(null);
        },
        error: (error: unknown) => this.actionError.set(errorMessage(error)),
      });
  }
}
