import { DatePipe, JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import {
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  type AbstractControl,
  type ValidationErrors,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTableModule } from '@angular/material/table';
import { TranslatePipe } from '@ngx-translate/core';
import { SUBJECTS } from '@synapse/rbac';
import { Apollo } from 'apollo-angular';
import { AbilityService } from '../../core/ability.service';
import { errorMessage } from '../../core/error-message';
import { AUDIT_ACTORS, AUDIT_EVENTS, type AuditEvent, type AuditFilter } from './audit.graphql';

export const OUTCOMES = ['succeeded', 'failed', 'denied'] as const;
export const PAGE_SIZES = [50, 100, 200, 500] as const;
/** Exact actions or prefixes ending in '*', as the API takes them. */
const ACTION_PATTERN = /^[A-Za-z0-9_.\- /]+\*?$|^\*$/;

function actionValidator(control: AbstractControl<string>): ValidationErrors | null {
  const value = control.value.trim();
  return !value || ACTION_PATTERN.test(value) ? null : { action: true };
}

/** `until` after `since`, when both are given. */
function rangeValidator(group: AbstractControl): ValidationErrors | null {
  const { since, until } = (group as FormGroup).getRawValue() as { since: string; until: string };
  return since && until && new Date(since).getTime() >= new Date(until).getTime() ? { range: true } : null;
}

/**
 * The audit trail: who did or tried what, newest first, with the API's filters, older pages on
 * demand (each page ends where the previous one stopped), and the redacted changes of an event.
 */
@Component({
  selector: 'app-audit-page',
  imports: [
    DatePipe,
    JsonPipe,
    ReactiveFormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatTableModule,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './audit-page.html',
  styleUrls: ['../../ui/area-page.css', '../keys/keys.css', './audit.css'],
})
export class AuditPage {
  private readonly apollo = inject(Apollo);
  private readonly destroyRef = inject(DestroyRef);
  private readonly ability = inject(AbilityService);

  protected readonly outcomes = OUTCOMES;
  protected readonly subjects = SUBJECTS.filter((s) => s !== 'all');
  protected readonly pageSizes = PAGE_SIZES;
  protected readonly columns = ['at', 'actor', 'action', 'subject', 'outcome', 'detail'];

  protected readonly events = signal<AuditEvent[]>([]);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly hasMore = signal(false);
  protected readonly selected = signal<AuditEvent | null>(null);
  protected readonly actors = signal<{ id: string; email: string }[]>([]);

  protected readonly filters = new FormGroup(
    {
      since: new FormControl('', { nonNullable: true }),
      until: new FormControl('', { nonNullable: true }),
      actorId: new FormControl('', { nonNullable: true }),
      action: new FormControl('', { nonNullable: true, validators: [actionValidator] }),
      subject: new FormControl('', { nonNullable: true }),
      outcome: new FormControl('', { nonNullable: true }),
      limit: new FormControl<number>(100, { nonNullable: true }),
    },
    { validators: [rangeValidator] },
  );

  /** The filter of the page on screen, to ask for the next one. */
  private applied: AuditFilter | null = null;

  constructor() {
    if (this.ability.canOn('read', 'User', { id: null })) {
      this.apollo
        .query({ query: AUDIT_ACTORS, fetchPolicy: 'network-only' })
        .pipe(takeUntilDestroyed(this.destroyRef))
        .subscribe({ next: (r) => this.actors.set(r.data?.users ?? []), error: () => this.actors.set([]) });
    }
    this.search();
  }

  search(): void {
    this.filters.markAllAsTouched();
    if (this.filters.invalid) return;
    const value = this.filters.getRawValue();
    const filter: AuditFilter = {
      limit: Number(value.limit),
      ...(value.action.trim() && { action: value.action.trim() }),
      ...(value.actorId.trim() && { actorId: value.actorId.trim() }),
      ...(value.subject && { subject: value.subject }),
      ...(value.outcome && { outcome: value.outcome }),
      ...(value.since && { since: new Date(value.since).toISOString() }),
      ...(value.until && { until: new Date(value.until).toISOString() }),
    };
    this.applied = filter;
    this.selected.set(null);
    this.fetch(filter, false);
  }

  /** The next page: the same filters, until the oldest event shown. */
  protected older(): void {
    const last = this.events().at(-1);
    if (!this.applied || !last) return;
    this.fetch({ ...this.applied, until: last.at }, true);
  }

  protected actor(event: AuditEvent): string {
    return event.actorEmail ?? event.actorId ?? '';
  }

  private fetch(filter: AuditFilter, append: boolean): void {
    this.loading.set(true);
    this.error.set(null);
    this.apollo
      .query({ query: AUDIT_EVENTS, variables: filter, fetchPolicy: 'network-only' })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (result) => {
          const page = result.data?.auditEvents ?? [];
          if (append) {
            // `until` may include events at the last timestamp shown: each appears once.
            const seen = new Set(this.events().map((e) => e.id));
            this.events.update((events) => [...events, ...page.filter((e) => !seen.has(e.id))]);
          } else {
            this.events.set(page);
          }
          this.hasMore.set(page.length >= filter.limit);
          this.loading.set(false);
        },
        error: (error: unknown) => {
          this.error.set(errorMessage(error));
          this.loading.set(false);
        },
      });
  }
}
