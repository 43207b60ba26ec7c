import { HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { ActivatedRoute, Router } from '@angular/router';
import { TranslatePipe, TranslateService } from '@ngx-translate/core';
import { catchError, finalize, of } from 'rxjs';
import { LANGUAGES, LanguageService } from '../../core/i18n/i18n';
import { afterSignIn } from '../auth.guard';
import { describeAuthError } from '../auth-error';
import { AuthService } from '../auth.service';
import { ssoErrorText } from '../sso-error';

type LoginField = 'email' | 'password';

@Component({
  selector: 'app-login-page',
  imports: [ReactiveFormsModule, TranslatePipe],
  templateUrl: './login-page.html',
  styleUrl: './login-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly translate = inject(TranslateService);
  private readonly destroyRef = inject(DestroyRef);
  private readonly query = inject(ActivatedRoute).snapshot.queryParamMap;
  protected readonly language = inject(LanguageService);
  protected readonly languages = LANGUAGES;

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });

  /** Single sign-on, when the gateway offers it; a gateway that cannot say offers none. */
  protected readonly methods = toSignal(this.auth.methods().pipe(catchError(() => of(null))), { initialValue: null });

  protected readonly submitted = signal(false);
  protected readonly pending = signal(false);
  /** A failed single sign-on comes back here with `?error=<code>`. */
  private readonly ssoError = this.query.get('error');
  protected readonly serverError = signal<string | null>(
    this.ssoError ? ssoErrorText(this.translate, this.ssoError) : null,
  );
  protected readonly signedIn = signal(false);

  /** A field's error appears once the user has left it or tried to submit. */
  protected showError(field: LoginField): boolean {
    const control = this.form.controls[field];
    return control.invalid && (control.touched || this.submitted());
  }

  protected hasError(field: LoginField, error: string): boolean {
    return this.form.controls[field].hasError(error);
  }

  protected submit(): void {
    this.submitted.set(true);
    this.serverError.set(null);
    this.signedIn.set(false);
    if (this.form.invalid || this.pending()) {
      this.form.markAllAsTouched();
      return;
    }

    this.pending.set(true);
    this.auth
      .login(this.form.getRawValue())
      .pipe(
        finalize(() => this.pending.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => {
          this.signedIn.set(true);
          void this.router.navigateByUrl(afterSignIn(this.query.get('returnUrl')));
        },
        error: (error: unknown) => {
          const reason =
            error instanceof HttpErrorResponse && error.status === 0
              ? this.translate.instant('auth.unreachable')
              : describeAuthError(error);
          this.serverError.set(this.translate.instant('auth.failed', { reason }));
        },
      });
  }
}
