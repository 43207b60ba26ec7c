import type { Route } from '@angular/router';
import { authGuard } from './auth/auth.guard';

/** The sign-in pages, then the signed-in console (core/layout/shell.routes.ts), loaded once signed in. */
export function consoleRoutes(loadShell: Route['loadChildren']): Route[] {
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
    { path: '', canMatch: [authGuard], loadChildren: loadShell },
  ];
}

export const appRoutes: Route[] = consoleRoutes(() => import('./core/layout/shell.routes').then((m) => m.SHELL_ROUTES));
