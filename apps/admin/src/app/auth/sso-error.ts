import type { TranslateService } from '@ngx-translate/core';

/** What the login page says for the `error` a failed single sign-on comes back with (texts: auth.ssoErrors). */
export function ssoErrorText(translate: TranslateService, code: string): string {
  const key = `auth.ssoErrors.${code}`;
  const known = translate.instant(key);
  const reason = known === key ? translate.instant('auth.ssoErrors.unexpected') : known;
  return translate.instant('auth.ssoFailed', { reason });
}
