import { Injectable, inject, signal } from '@angular/core';
import type { PermissionRule, RoleDefinition } from '@synapse/rbac';
import { Apollo, gql } from 'apollo-angular';
import { firstValueFrom } from 'rxjs';
import { AuthService } from '../auth/auth.service';
import { AbilityService, type SignedInAccount } from './ability.service';
import { errorMessage } from './error-message';

interface RuleResult {
  action: string[];
  subject: string[];
  conditions: Record<string, unknown> | null;
  fields: string[] | null;
  inverted: boolean;
  reason: string | null;
}

export interface AccountResult {
  me: { id: string; email: string; name: string | null; role: string; teamIds: string[] } | null;
  myRole: { name: string; description: string; builtIn: boolean; rules: RuleResult[] } | null;
}

export const ACCOUNT_QUERY = gql<AccountResult, Record<string, never>>`
  query ConsoleAccount {
    me {
      id
      email
      name
      role
      teamIds
    }
    myRole {
      name
      description
      builtIn
      rules {
        action
        subject
        conditions
        fields
        inverted
        reason
      }
    }
  }
`;

/** A rule as the API sends it (nulls for what is not set), as `@synapse/rbac` takes it. */
export function toPermissionRule(rule: RuleResult): PermissionRule {
  return {
    action: rule.action,
    subject: rule.subject,
    ...(rule.conditions && { conditions: rule.conditions }),
    ...(rule.fields && { fields: rule.fields }),
    ...(rule.inverted && { inverted: true }),
    ...(rule.reason && { reason: rule.reason }),
  } as PermissionRule;
}

/** The claims of an access token (its payload is not secret; its signature is the gateway's business). */
function tokenClaims(token: string | null): { sub?: string; email?: string } {
  try {
    const payload = token?.split('.')[1] ?? '';
    return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: string; email?: string };
  } catch {
    return {};
  }
}

/**
 * After sign-in: reads the account (`me`) and its role's rules (`myRole`, which every account may
 * read) and gives them to AbilityService, which the menus, guards and buttons follow. A custom role
 * that may not read its own account still gets its rules (the account then comes from the token).
 */
@Injectable() // provided by the shell's route, beside Apollo
export class AccountService {
  private readonly apollo = inject(Apollo);
  private readonly auth = inject(AuthService);
  private readonly ability = inject(AbilityService);
  private loading: Promise<boolean> | null = null;

  /** Why the account could not be read; null when it was (or has not been tried). */
  readonly error = signal<string | null>(null);

  constructor() {
    this.auth.signedOut$.subscribe(() => this.forget());
  }

  /** Reads the account once per session; true when the rules are in place. */
  ensureLoaded(): Promise<boolean> {
    if (this.ability.account()) return Promise.resolve(true);
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  /** Signs out at the gateway and forgets everything about the session. */
  async signOut(): Promise<void> {
    await this.auth.logout();
    this.forget();
  }

  private forget(): void {
    this.ability.clear();
    this.error.set(null);
    void this.apollo.client.clearStore().catch(() => undefined);
  }

  private async load(): Promise<boolean> {
    try {
      const result = await firstValueFrom(
        this.apollo.query({ query: ACCOUNT_QUERY, fetchPolicy: 'network-only', errorPolicy: 'all' }),
      );
      const role = result.data?.myRole;
      if (!role) throw result.error ?? new Error('The gateway did not say what your role may do.');
      const claims = tokenClaims(this.auth.accessToken());
      const me = result.data?.me;
      const account: SignedInAccount = me ?? {
        id: claims.sub ?? '',
        email: claims.email ?? '',
        role: role.name,
        teamIds: [],
      };
      const definition: RoleDefinition | undefined = role.builtIn
        ? undefined
        : { name: role.name, description: role.description, rules: role.rules.map(toPermissionRule) };
      this.ability.use({ ...account, role: role.name }, definition);
      this.error.set(null);
      return true;
    } catch (error) {
      this.error.set(errorMessage(error));
      return false;
    }
  }
}
