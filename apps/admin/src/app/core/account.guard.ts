import { inject } from '@angular/core';
import { Router, type CanMatchFn } from '@angular/router';
import { AuthService } from '../auth/auth.service';
import { AccountService } from './account.service';

/**
 * Before the shell: the account's rules are read, so that the menu, the default page and the
 * area guards know them. If that fails while still signed in, the shell shows why
 * (AccountService.error); if the session ended meanwhile, back to the sign-in page.
 */
export const accountGuard: CanMatchFn = async () => {
  const auth = inject(AuthService);
  const router = inject(Router);
  await inject(AccountService).ensureLoaded();
  return auth.signedIn() ? true : router.createUrlTree(['/login']);
};
