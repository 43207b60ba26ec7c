import { ChangeDetectionStrategy, Component, DestroyRef, OnInit, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ActivatedRoute, RouterLink } from '@angular/router';
import { describeAuthError } from '../auth-error';
import { AuthService } from '../auth.service';

/** Where single sign-on lands (`/login/sso#code=…`): trades the one-time code for a session. */
@Component({
  selector: 'app-sso-callback-page',
  imports: [RouterLink],
  template: `
    <section class="card" aria-live="polite">
      @if (error(); as message) {
        <p class="alert alert-error" role="alert">{{ message }}</p>
        <a routerLink="/login">Back to sign-in</a>
      } @else if (signedIn()) {
        <p class="alert alert-success" role="status">Signed in.</p>
      } @else {
        <p role="status">Signing in…</p>
      }
    </section>
  `,
  styleUrl: '../login/login-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SsoCallbackPage implements OnInit {
  private readonly auth = inject(AuthService);
  private readonly route = inject(ActivatedRoute);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly signedIn = signal(false);
  protected readonly error = signal<string | null>(null);

  ngOnInit(): void {
    const code = new URLSearchParams(this.route.snapshot.fragment ?? '').get('code');
    // The code is single-use, but it has no business staying in the address bar or the history.
    history.replaceState(history.state, '', location.pathname);
    if (!code) {
      this.error.set('Single sign-on failed: the sign-in code is missing. Try again.');
      return;
    }
    this.auth
      .exchangeSsoCode(code)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => this.signedIn.set(true),
        error: (error: unknown) => this.error.set(`Single sign-on failed: ${describeAuthError(error)}`),
      });
  }
}
