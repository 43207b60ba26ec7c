import { Injectable, computed, signal } from '@angular/core';
import {
  asSubject,
  defineAbilityFor,
  denyAll,
  type Action,
  type AppAbility,
  type RecordSubjectName,
  type RoleDefinition,
  type SubjectName,
} from '@synapse/rbac';

/** The signed-in account, as `me` answers it. */
export interface SignedInAccount {
  readonly id: string;
  readonly email: string;
  readonly name?: string | null;
  readonly role: string;
  readonly teamIds: readonly string[];
}

/**
 * What the signed-in account may do, built from the same CASL rules (`@synapse/rbac`) the gateway
 * enforces: menus, pages and buttons follow it so that nobody is offered what the API would refuse.
 * It only hides; the API still checks every call.
 */
@Injectable({ providedIn: 'root' })
export class AbilityService {
  private readonly state = signal<{ account: SignedInAccount | null; ability: AppAbility }>({
    account: null,
    ability: denyAll(),
  });

  /** The account the rules are for; null when signed out. */
  readonly account = computed(() => this.state().account);

  /**
   * Takes the account's rules: a built-in role from `@synapse/rbac`, a custom role from its
   * definition (read from the API). A custom role without its definition allows nothing.
   */
  use(account: SignedInAccount, customRole?: RoleDefinition): void {
    this.state.set({ account, ability: defineAbilityFor(account, customRole ? [customRole] : []) });
  }

  /** Signed out: nothing is allowed. */
  clear(): void {
    this.state.set({ account: null, ability: denyAll() });
  }

  /** Whether the account may do `action` on some `subject` (reactive: reads a signal). */
  can(action: Action, subject: SubjectName): boolean {
    return this.state().ability.can(action, subject);
  }

  /** Whether the account may do `action` on this record, conditions included (a member's own key). */
  canOn(action: Action, type: RecordSubjectName, record: Record<string, unknown>): boolean {
    return this.state().ability.can(action, asSubject(type, record));
  }
}
