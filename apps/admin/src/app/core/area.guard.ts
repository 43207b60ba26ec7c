import { inject } from '@angular/core';
import { Router, type CanMatchFn, type Route } from '@angular/router';
import type { SubjectName } from '@synapse/rbac';
import type { ConsoleArea } from '../areas';
import { AbilityService } from './ability.service';
import { AREAS } from './areas.token';
import { NoticeService } from './notice.service';

/** The first area (in menu order) the account may read, or null. */
export function firstReadableArea(ability: AbilityService, areas: readonly ConsoleArea[]): ConsoleArea | null {
  return areas.find((area) => ability.can('read', area.subject)) ?? null;
}

/**
 * An area's route: only for accounts that may read its subject. Others are sent to the first area
 * they may read (the overview for most) with a message; the API would refuse them anyway.
 */
export function areaGuard(subject: SubjectName): CanMatchFn {
  return (_route: Route) => {
    const ability = inject(AbilityService);
    if (ability.can('read', subject)) return true;
    inject(NoticeService).show('shell.denied');
    const fallback = firstReadableArea(ability, inject(AREAS));
    return inject(Router).createUrlTree(fallback ? ['/', fallback.path] : ['/', 'welcome']);
  };
}
