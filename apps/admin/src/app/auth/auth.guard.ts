import { inject } from '@angular/core';
import { Router, type CanMatchFn } from '@angular/router';
import { AccountService } from '../core/account.service';
import { AuthService } from './auth.service';

/**
 * The console's pages need a session: without one, go to /login and come back afterwards
 * (`returnUrl`). With one, the account's rules are read first, so that the menu, the default page
 * and the area guards know them; if that fails while still signed in, the shell shows why
 * (AccountService.error). A canMatch guard: it runs before the areas' own guards are matched.
 */
export const authGuard: CanMatchFn = async (_route, segments) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  const navigation = router.currentNavigation();
  const url = navigation ? router.serializeUrl(navigation.extractedUrl) : `/${segments.join('/')}`;
  const toLogin = () => router.createUrlTree(['/login'], { queryParams: { returnUrl: url } });
  if (!auth.signedIn()) return toLogin();
  await inject(AccountService).ensureLoaded();
  return auth.signedIn() ? true : toLogin();
};

/** Where to go after sign-in: the return URL if it is one of the console's own, else the console. */
export function afterSignIn(returnUrl: string | null | undefined): string {
  return returnUrl && returnUrl.startsWith('/') && !returnUrl.startsWith('//') && !returnUrl.startsWith('/login')
    ? returnUrl
    : '/';
}
