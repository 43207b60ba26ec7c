import { Route } from '@angular/router';

export const appRoutes: Route[] = [
  { path: '', pathMatch: 'full', redirectTo: 'login' },
  {
    path: 'login',
    title: 'Sign in · SynapseHub',
    loadComponent: () => import('./auth/login/login-page').then((m) => m.LoginPage),
  },
  { path: '**', redirectTo: 'login' },
];
