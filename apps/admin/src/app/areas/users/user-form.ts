import { ChangeDetectionStrategy, Component, OnInit, computed, inject, input, output } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslatePipe } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import type { Observable } from 'rxjs';
import { saveState } from '../../ui/save-state';
import { LimitsFields } from '../keys/limits-fields';
import { limitsFormGroup, limitsInput } from '../keys/limits-form';
import { CREATE_USER, UPDATE_USER, type UpdateUserInput, type User } from './users.graphql';

/** The password policy the gateway enforces wherever a password is set. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

/**
 * Creates an account (email, name, role, password or single sign-on only, limits) or changes one
 * (name, role, limits; an edit sends only what changed).
 */
@Component({
  selector: 'app-user-form',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, TranslatePipe, LimitsFields],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './user-form.html',
  styleUrls: ['../../ui/area-page.css', '../keys/keys.css'],
})
export class UserForm implements OnInit {
  private readonly apollo = inject(Apollo);

  readonly user = input<User | null>(null);
  /** The roles the account may give. */
  readonly roles = input.required<readonly string[]>();
  readonly saved = output<User>();
  readonly cancelled = output<void>();

  private readonly save = saveState();
  protected readonly saving = this.save.saving;
  protected readonly error = this.save.error;
  protected readonly editing = computed(() => this.user() !== null);

  protected readonly form = new FormGroup({
    email: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.email] }),
    name: new FormControl('', { nonNullable: true, validators: [Validators.maxLength(200)] }),
    role: new FormControl('member', { nonNullable: true, validators: [Validators.required] }),
    password: new FormControl('', {
      nonNullable: true,
      validators: [Validators.minLength(PASSWORD_MIN), Validators.maxLength(PASSWORD_MAX)],
    }),
    limits: limitsFormGroup(null),
  });

  ngOnInit(): void {
    const user = this.user();
    if (!user) return;
    this.form.reset({ email: user.email, name: user.name ?? '', role: user.role, password: '' });
    this.form.controls.email.disable();
    this.form.controls.password.disable();
    this.form.setControl('limits', limitsFormGroup(user.limits));
  }

  protected fieldError(name: 'email' | 'role' | 'password' | 'name'): string | null {
    const control = this.form.controls[name];
    if (control.hasError('required')) return 'users.errors.required';
    if (control.hasError('email')) return 'users.errors.email';
    if (control.hasError('minlength'))
      return name === 'password' ? 'users.errors.passwordShort' : 'users.errors.required';
    if (control.hasError('maxlength')) return 'users.errors.tooLong';
    return null;
  }

  protected submit(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.saving()) return;
    const value = this.form.getRawValue();
    const user = this.user();
    const request: Observable<{ data?: unknown }> = user
      ? this.apollo.mutate({ mutation: UPDATE_USER, variables: { id: user.id, input: this.changes() } })
      : this.apollo.mutate({
          mutation: CREATE_USER,
          variables: {
            input: {
              email: value.email.trim(),
              name: value.name.trim() || null,
              role: value.role,
              ...(value.password && { password: value.password }),
              limits: limitsInput(this.form.controls.limits),
            },
          },
        });
    this.save.send(request, (result) => {
      const data = result.data as { createUser?: User; updateUser?: User } | undefined;
      const saved = data?.createUser ?? data?.updateUser;
      if (saved) this.saved.emit(saved);
    });
  }

  private changes(): UpdateUserInput {
    const controls = this.form.controls;
    const input: UpdateUserInput = {};
    if (controls.name.dirty) input.name = controls.name.value.trim() || null;
    if (controls.role.dirty) input.role = controls.role.value;
    if (controls.limits.dirty) input.limits = limitsInput(controls.limits);
    return input;
  }
}
