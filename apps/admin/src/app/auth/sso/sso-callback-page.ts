import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { describeAuthError } from '../auth-error';
import { AuthService } from '../auth.service';
import { ssoErrorText } from '../sso-error';

/** Where single sign-on lands (`/login/sso#code=…`): trades the one-time code for a session, then opens the console. */
@Component({
  selector: 'app-sso-callback-page',
  imports: [RouterLink, TranslatePipe],
  template: `
    <section class="card" aria-live="polite">
      @if (error(); as message) {
        <p class="alert alert-error" role="alert">{{ message }}</p>
        <a routerLink="/login">{{ 'auth.ssoBack' | translate }}</a>
      } @else if (signedIn()) {
        <p class="alert alert-success" role="status">{{ 'auth.signedIn' | translate }}</p>
      } @else {
        <p role="status">{{ 'auth.ssoPending' | translate }}</p>
      }
    </section>
  `,
  styleUrl: '../login/login-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SsoCallbackPage implements OnInit {
  private readonly auth = inject(AuthService);
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly translate = inject(TranslateService);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly signedIn = signal(false);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    const code = new URLSearchParams(this.route.snapshot.fragment ?? '').get('code');
    // The code is single-use, but it has no business staying in the address bar or the history.
    history.replaceState(history.state, '', location.pathname);
    if (!code) {
      this.error.set(ssoErrorText(this.translate, 'missing_code'));
      return;
    }
    this.auth
      .exchangeSsoCode(code)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.signedIn.set(true);
          void this.router.navigateByUrl('/');
        },
        error: (error: unknown) =>
          this.error.set(this.translate.instant('auth.ssoFailed', { reason: describeAuthError(error) })),
      });
  }
}
