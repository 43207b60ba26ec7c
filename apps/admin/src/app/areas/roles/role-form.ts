import { ChangeDetectionStrategy, Component, OnInit, computed, inject, input, output, signal } from '@angular/core';
import {
  FormArray,
  FormControl,
  FormGroup,
  ReactiveFormsModule,
  Validators,
  type AbstractControl,
  type ValidationErrors,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { TranslatePipe } from '@ngx-translate/core';
import { BUILT_IN_ROLES, type Action, type SubjectName } from '@synapse/rbac';
import { Apollo } from 'apollo-angular';
import type { Observable } from 'rxjs';
import { saveState } from '../../ui/save-state';
import { splitList } from '../keys/cidr';
import {
  ACTIONS,
  RULE_FIELDS,
  SUBJECTS,
  fromRule,
  narrowableSubject,
  presetsFor,
  ruleProblems,
  toRuleInput,
  type RuleDraft,
} from './role-rules';
import { CREATE_ROLE, UPDATE_ROLE, type Role } from './roles.graphql';

/** 2-32 lower-case letters, digits and dashes, starting with a letter. */
export const ROLE_NAME_PATTERN = /^[a-z][a-z0-9-]{1,31}$/;

function notBuiltIn(control: AbstractControl<string>): ValidationErrors | null {
  return (BUILT_IN_ROLES as readonly string[]).includes(control.value) ? { builtIn: true } : null;
}

function nonEmptyList(control: AbstractControl<readonly unknown[]>): ValidationErrors | null {
  return control.value.length ? null : { empty: true };
}

type RuleGroup = FormGroup<{
  inverted: FormControl<boolean>;
  actions: FormControl<Action[]>;
  subjects: FormControl<SubjectName[]>;
  condition: FormControl<string>;
  customConditions: FormControl<Record<string, unknown> | null>;
  fields: FormControl<string>;
  reason: FormControl<string>;
}>;

/** Fields only on one record-checked subject, and only the fields its update input takes. */
function fieldsValidator(group: AbstractControl): ValidationErrors | null {
  const rule = group as RuleGroup;
  const fields = splitList(rule.controls.fields.value);
  if (!fields.length) return null;
  const subject = narrowableSubject(rule.controls.subjects.value);
  if (!subject) return { fieldsNotEnforced: true };
  const unknown = fields.filter((f) => !RULE_FIELDS[subject]?.includes(f));
  return unknown.length
    ? { fieldsUnknown: { fields: unknown.join(', '), known: RULE_FIELDS[subject]?.join(', ') } }
    : null;
}

function ruleGroup(draft?: RuleDraft): RuleGroup {
  return new FormGroup(
    {
      inverted: new FormControl(draft?.inverted ?? false, { nonNullable: true }),
      actions: new FormControl<Action[]>(draft?.actions ?? ['read'], { nonNullable: true, validators: [nonEmptyList] }),
      subjects: new FormControl<SubjectName[]>(draft?.subjects ?? [], {
        nonNullable: true,
        validators: [nonEmptyList],
      }),
      condition: new FormControl(draft?.condition ?? '', { nonNullable: true }),
      customConditions: new FormControl<Record<string, unknown> | null>(draft?.customConditions ?? null),
      fields: new FormControl((draft?.fields ?? []).join(', '), { nonNullable: true }),
      reason: new FormControl(draft?.reason ?? '', { nonNullable: true, validators: [Validators.maxLength(500)] }),
    },
    { validators: [fieldsValidator] },
  );
}

/**
 * A custom role edited as a form, not as JSON: rows of actions × subjects, each optionally narrowed
 * to the account's own records or its teams' (only where the API enforces it), to some fields, or
 * turned into an exception (forbid, with the reason refused callers read). The rules are checked
 * with `@synapse/rbac` before anything is sent; the API's escalation check answers as text.
 */
@Component({
  selector: 'app-role-form',
  imports: [
    ReactiveFormsModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatInputModule,
    MatSlideToggleModule,
    TranslatePipe,
  ],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './role-form.html',
  styleUrls: ['../../ui/area-page.css', '../keys/keys.css', './roles.css'],
})
export class RoleForm implements OnInit {
  private readonly apollo = inject(Apollo);

  readonly role = input<Role | null>(null);
  readonly saved = output<Role>();
  readonly cancelled = output<void>();

  protected readonly actions = ACTIONS;
  protected readonly subjects = SUBJECTS;
  protected readonly presetsFor = presetsFor;
  protected readonly narrowable = narrowableSubject;
  protected readonly knownFields = RULE_FIELDS;
  private readonly save = saveState();
  protected readonly saving = this.save.saving;
  protected readonly error = this.save.error;
  protected readonly problems = signal<string[]>([]);
  protected readonly editing = computed(() => this.role() !== null);

  protected readonly form = new FormGroup({
    name: new FormControl('', {
      nonNullable: true,
      validators: [Validators.required, Validators.pattern(ROLE_NAME_PATTERN), notBuiltIn],
    }),
    description: new FormControl('', { nonNullable: true, validators: [Validators.maxLength(500)] }),
    rules: new FormArray<RuleGroup>([ruleGroup()]),
  });

  ngOnInit(): void {
    const role = this.role();
    if (!role) return;
    this.form.controls.name.setValue(role.name);
    this.form.controls.name.disable();
    this.form.controls.description.setValue(role.description);
    this.form.setControl('rules', new FormArray(role.rules.map((rule) => ruleGroup(fromRule(rule)))));
  }

  protected get rules(): FormArray<RuleGroup> {
    return this.form.controls.rules;
  }

  protected nameError(): string | null {
    const control = this.form.controls.name;
    if (control.hasError('required')) return 'roles.errors.required';
    if (control.hasError('pattern')) return 'roles.errors.name';
    if (control.hasError('builtIn')) return 'roles.errors.builtIn';
    return null;
  }

  protected has(rule: RuleGroup, list: 'actions' | 'subjects', value: string): boolean {
    return (rule.controls[list].value as string[]).includes(value);
  }

  protected toggle(rule: RuleGroup, list: 'actions' | 'subjects', value: string, checked: boolean): void {
    const control = rule.controls[list] as FormControl<string[]>;
    const current = control.value.filter((v) => v !== value);
    control.setValue(checked ? [...current, value].sort((a, b) => this.order(list, a) - this.order(list, b)) : current);
    control.markAsTouched();
    control.markAsDirty();
    if (list === 'subjects') {
      // A condition or fields list no longer offered for these subjects is dropped.
      const offered = presetsFor(rule.controls.subjects.value).map((p) => p.id as string);
      const condition = rule.controls.condition.value;
      if (condition && condition !== 'custom' && !offered.includes(condition)) rule.controls.condition.setValue('');
    }
  }

  protected addRule(): void {
    this.rules.push(ruleGroup());
  }

  protected removeRule(index: number): void {
    this.rules.removeAt(index);
  }

  protected submit(): void {
    this.form.markAllAsTouched();
    this.problems.set([]);
    if (this.form.invalid || this.saving()) return;
    const rules = this.rules.controls.map((rule) => {
      const value = rule.getRawValue();
      return toRuleInput({ ...value, fields: splitList(value.fields) });
    });
    const problems = ruleProblems(rules);
    if (!rules.length) problems.push('roles.errors.noRules');
    if (problems.length) {
      this.problems.set(problems);
      return;
    }
    const role = this.role();
    const description = this.form.controls.description.value.trim();
    const request: Observable<{ data?: unknown }> = role
      ? this.apollo.mutate({ mutation: UPDATE_ROLE, variables: { name: role.name, input: { description, rules } } })
      : this.apollo.mutate({
          mutation: CREATE_ROLE,
          variables: { input: { name: this.form.controls.name.value, description, rules } },
        });
    this.save.send(request, (result) => {
      const data = result.data as { createRole?: Role; updateRole?: Role } | undefined;
      const saved = data?.createRole ?? data?.updateRole;
      if (saved) this.saved.emit(saved);
    });
  }

  protected customText(rule: RuleGroup): string {
    return JSON.stringify(rule.controls.customConditions.value);
  }

  private order(list: 'actions' | 'subjects', value: string): number {
    return (list === 'actions' ? (ACTIONS as readonly string[]) : (SUBJECTS as readonly string[])).indexOf(value);
  }
}
