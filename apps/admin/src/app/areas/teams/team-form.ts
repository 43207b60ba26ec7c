import { ChangeDetectionStrategy, Component, OnInit, computed, inject, input, output } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslatePipe } from '@ngx-translate/core';
import { Apollo } from 'apollo-angular';
import type { Observable } from 'rxjs';
import { saveState } from '../../ui/save-state';
import { NAME_PATTERN } from '../keys/key-form';
import { LimitsFields } from '../keys/limits-fields';
import { limitsFormGroup, limitsInput } from '../keys/limits-form';
import { CREATE_TEAM, UPDATE_TEAM, type Team, type TeamMember, type UpdateTeamInput } from './teams.graphql';

/** Creates a team (name, description, first members, limits) or changes one (only what changed is sent). */
@Component({
  selector: 'app-team-form',
  imports: [ReactiveFormsModule, MatButtonModule, MatFormFieldModule, MatInputModule, TranslatePipe, LimitsFields],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './team-form.html',
  styleUrls: ['../../ui/area-page.css', '../keys/keys.css'],
})
export class TeamForm implements OnInit {
  private readonly apollo = inject(Apollo);

  readonly team = input<Team | null>(null);
  readonly candidates = input<readonly TeamMember[]>([]);
  readonly saved = output<Team>();
  readonly cancelled = output<void>();

  private readonly save = saveState();
  protected readonly saving = this.save.saving;
  protected readonly error = this.save.error;
  protected readonly editing = computed(() => this.team() !== null);

  protected readonly form = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(NAME_PATTERN)],
    }),
    description: new FormControl('', { nonNullable: true, validators: [Validators.maxLength(500)] }),
    memberIds: new FormControl<string[]>([], { nonNullable: true }),
    limits: limitsFormGroup(null),
  });

  ngOnInit(): void {
    const team = this.team();
    if (!team) return;
    this.form.reset({ name: team.name, description: team.description ?? '', memberIds: [] });
    this.form.setControl('limits', limitsFormGroup(team.limits));
  }

  protected fieldError(name: 'name' | 'description'): string | null {
    const control = this.form.controls[name];
    if (control.hasError('required')) return 'keys.errors.required';
    if (control.hasError('pattern')) return 'keys.errors.name';
    if (control.hasError('maxlength')) return 'users.errors.tooLong';
    return null;
  }

  protected submit(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid || this.saving()) return;
    const value = this.form.getRawValue();
    const team = this.team();
    const request: Observable<{ data?: unknown }> = team
      ? this.apollo.mutate({ mutation: UPDATE_TEAM, variables: { id: team.id, input: this.changes() } })
      : this.apollo.mutate({
          mutation: CREATE_TEAM,
          variables: {
            input: {
              name: value.name.trim(),
              description: value.description.trim() || null,
              memberIds: value.memberIds,
              limits: limitsInput(this.form.controls.limits),
            },
          },
        });
    this.save.send(request, (result) => {
      const data = result.data as { createTeam?: Team; updateTeam?: Team } | undefined;
      const saved = data?.createTeam ?? data?.updateTeam;
      if (saved) this.saved.emit(saved);
    });
  }

  private changes(): UpdateTeamInput {
    const controls = this.form.controls;
    const input: UpdateTeamInput = {};
    if (controls.name.dirty) input.name = controls.name.value.trim();
    if (controls.description.dirty) input.description = controls.description.value.trim() || null;
    if (controls.limits.dirty) input.limits = limitsInput(controls.limits);
    return input;
  }
}
