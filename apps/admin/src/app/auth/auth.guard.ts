import { inject } from '@angular/core';
import { Router, type CanMatchFn } from '@angular/router';
import { AuthService } from './auth.service';

/**
 * The console's pages need a session: without one, go to /login and come back afterwards
 * (`returnUrl`). A canMatch guard, so that the shell's code is not even loaded before sign-in;
 * the shell then reads the account's rules (accountGuard).
 */
export const authGuard: CanMatchFn = (_route, segments) => {
  if (inject(AuthService).signedIn()) return true;
  const router = inject(Router);
  const navigation = router.currentNavigation();
  const url = navigation ? router.serializeUrl(navigation.extractedUrl) : `/${segments.join('/')}`;
  return router.createUrlTree(['/login'], { queryParams: { returnUrl: url } });
};

/** Where to go after sign-in: the return URL if it is one of the console's own, else the console. */
export function afterSignIn(returnUrl: string | null | undefined): string {
  return returnUrl && returnUrl.startsWith('/') && !returnUrl.startsWith('//') && !returnUrl.startsWith('/login')
    ? returnUrl
    : '/';
}
