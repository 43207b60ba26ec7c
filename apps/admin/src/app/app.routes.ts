import { inject } from '@angular/core';
import type { Route } from '@angular/router';
import { CONSOLE_AREAS, type ConsoleArea } from './areas';
import { authGuard } from './auth/auth.guard';
import { AbilityService } from './core/ability.service';
import { areaGuard, firstReadableArea } from './core/area.guard';

/** The lazy routes of the console's areas: `/<path>`, each for accounts that may read its subject. */
export function areaRoutes(areas: readonly ConsoleArea[]): Route[] {
  return areas.map((area) => ({ path: area.path, canMatch: [areaGuard(area.subject)], loadChildren: area.loadRoutes }));
}

/** The console's routes for these areas: the sign-in pages, then the shell with one route per area. */
export function consoleRoutes(areas: readonly ConsoleArea[]): Route[] {
  return [
    {
      path: 'login',
      title: 'SynapseHub',
      loadComponent: () => import('./auth/login/login-page').then((m) => m.LoginPage),
    },
    {
      path: 'login/sso',
      title: 'SynapseHub',
      loadComponent: () => import('./auth/sso/sso-callback-page').then((m) => m.SsoCallbackPage),
    },
    {
      path: '',
      canMatch: [authGuard],
      loadComponent: () => import('./core/layout/shell-layout').then((m) => m.ShellLayout),
      children: [
        {
          path: '',
          pathMatch: 'full',
          // The overview for most; the first area the role may read for the others.
          redirectTo: () => firstReadableArea(inject(AbilityService), areas)?.path ?? 'welcome',
        },
        {
          path: 'welcome',
          loadComponent: () => import('./core/layout/welcome-page').then((m) => m.WelcomePage),
        },
        ...areaRoutes(areas),
        { path: '**', redirectTo: '' },
      ],
    },
  ];
}

export const appRoutes: Route[] = consoleRoutes(CONSOLE_AREAS);
