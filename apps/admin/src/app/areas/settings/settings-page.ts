import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslatePipe } from '@ngx-translate/core';
import { errorMessage } from '../../core/error-message';

/** `GET /api/auth/methods`: which sign-in methods the gateway offers. */
export interface SignInMethods {
  password: boolean;
  oidc: { name: string; loginUrl: string } | null;
}

/** A setting of sign-in, where it is set and documented; none can be changed at run time. */
export interface SignInSetting {
  readonly key: string;
  readonly variables: string;
  readonly value: string;
  readonly doc: string;
}

/**
 * Fixed by the gateway or set in its environment (docs/admin-api.md, docs/security.md,
 * docs/configuration.md); the admin API exposes only which methods are on, so these are shown as
 * documented.
 */
export const SIGN_IN_SETTINGS: readonly SignInSetting[] = [
  { key: 'accessToken', variables: '—', value: '15 min', doc: 'docs/admin-api.md#tokens' },
  { key: 'refreshToken', variables: '—', value: '30 d', doc: 'docs/admin-api.md#tokens' },
  {
    key: 'sessionMaxAge',
    variables: 'SESSION_MAX_AGE_HOURS',
    value: '168 h',
    doc: 'docs/security.md#sessions-and-passwords',
  },
  {
    key: 'passwordPolicy',
    variables: 'ADMIN_PASSWORD, users[].password',
    value: '12-1024',
    doc: 'docs/security.md#sessions-and-passwords',
  },
  { key: 'lockout', variables: '—', value: '5 / 15 min, 20 / IP', doc: 'docs/admin-api.md#lockout' },
  {
    key: 'oidc',
    variables: 'OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET',
    value: '—',
    doc: 'docs/configuration.md#single-sign-on-openid-connect',
  },
  {
    key: 'oidcRoles',
    variables: 'OIDC_ROLE_CLAIM, OIDC_ROLE_MAP, OIDC_DEFAULT_ROLE',
    value: '—',
    doc: 'docs/configuration.md#single-sign-on-openid-connect',
  },
  {
    key: 'oidcAccounts',
    variables: 'OIDC_ALLOW_SIGNUP, OIDC_LINK_OWNER, OIDC_TRUSTED_EMAIL_ISSUERS',
    value: '—',
    doc: 'docs/security.md#single-sign-on-and-existing-accounts',
  },
];

/**
 * Sign-in settings, read-only: which methods the gateway offers now (from `GET /api/auth/methods`)
 * and the rest as documented, with where each is set. The admin API has no mutation for them: they
 * live in the environment and the config file.
 */
@Component({
  selector: 'app-settings-page',
  imports: [MatProgressBarModule, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './settings-page.html',
  styleUrls: ['../../ui/area-page.css', '../keys/keys.css', './settings.css'],
})
export class SettingsPage {
  private readonly http = inject(HttpClient);
  protected readonly settings = SIGN_IN_SETTINGS;
  protected readonly methods = signal<SignInMethods | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);

  constructor() {
    this.http
      .get<SignInMethods>('/api/auth/methods')
      .pipe(takeUntilDestroyed())
      .subscribe({
        next: (methods) => {
          this.methods.set(methods);
          this.loading.set(false);
        },
        error: (error: unknown) => {
          this.error.set(errorMessage(error));
          this.loading.set(false);
        },
      });
  }
}
