import { signal, type Signal } from '@angular/core';
import type { Observable } from 'rxjs';
import { errorMessage } from '../core/error-message';

/** A form's save: whether one is on its way, and the API's refusal as one line of text. */
export interface SaveState {
  readonly saving: Signal<boolean>;
  readonly error: Signal<string | null>;
  /** Sends `request`; `saved` gets its answer, a failure goes to `error`. */
  send<T>(request: Observable<T>, saved: (result: T) => void): void;
}

export function saveState(): SaveState {
  const saving = signal(false);
  const error = signal<string | null>(null);
  return {
    saving: saving.asReadonly(),
    error: error.asReadonly(),
    send: (request, saved) => {
      saving.set(true);
      error.set(null);
      request.subscribe({
        next: (result) => {
          saving.set(false);
          saved(result);
        },
        error: (failure: unknown) => {
          saving.set(false);
          error.set(errorMessage(failure));
        },
      });
    },
  };
}
