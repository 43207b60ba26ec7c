import { InjectionToken } from '@angular/core';
import { CONSOLE_AREAS, type ConsoleArea } from '../areas';

/** The areas the shell shows: CONSOLE_AREAS, replaceable in tests. */
export const AREAS = new InjectionToken<readonly ConsoleArea[]>('console areas', {
  providedIn: 'root',
  factory: () => CONSOLE_AREAS,
});
