import { DestroyRef, inject, signal, type Signal, type WritableSignal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { Observable } from 'rxjs';
import { errorMessage } from '../core/error-message';

/** A list page's records with the state of their last reading. */
export interface ListQuery<T> {
  /** The records; the page updates them after its own changes instead of reading again. */
  readonly items: WritableSignal<T[]>;
  readonly loading: Signal<boolean>;
  /** The last reading's failure as one line of text (errorMessage), or null. */
  readonly error: Signal<string | null>;
  /** Reads (again), showing the loading state until the answer. */
  load(): void;
}

/** The records `read()` answers, read on each load(); call in an injection context (a field initializer). */
export function listQuery<T>(read: () => Observable<T[]>): ListQuery<T> {
  const destroyRef = inject(DestroyRef);
  const items = signal<T[]>([]);
  const loading = signal(true);
  const error = signal<string | null>(null);
  return {
    items,
    loading: loading.asReadonly(),
    error: error.asReadonly(),
    load: () => {
      loading.set(true);
      error.set(null);
      read()
        .pipe(takeUntilDestroyed(destroyRef))
        .subscribe({
          next: (records) => {
            items.set(records);
            loading.set(false);
          },
          error: (failure: unknown) => {
            error.set(errorMessage(failure));
            loading.set(false);
          },
        });
    },
  };
}
