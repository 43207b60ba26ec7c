import { Route } from '@angular/router';

export const appRoutes: Route[] = [
  { path: '', pathMatch: 'full', redirectTo: 'login' },
  {
    path: 'login',
    title: 'Sign in · SynapseHub',
    loadComponent: () => import('./auth/login/login-page').then((m) => m.LoginPage),
  },
  {
    path: 'login/sso',
    title: 'Signing in · SynapseHub',
    loadComponent: () => import('./auth/sso/sso-callback-page').then((m) => m.SsoCallbackPage),
  },
  { path: '**', redirectTo: 'login' },
];
