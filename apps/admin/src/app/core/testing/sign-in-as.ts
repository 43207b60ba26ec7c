import { TestBed } from '@angular/core/testing';
import type { RoleDefinition } from '@synapse/rbac';
import { AbilityService, type SignedInAccount } from '../ability.service';

/**
 * In a component test: the console behaves as for an account holding `role` (a built-in role's
 * name, or a custom role's definition), with the real CASL rules.
 */
export function signInAs(role: string | RoleDefinition, account: Partial<SignedInAccount> = {}): SignedInAccount {
  const custom = typeof role === 'string' ? undefined : role;
  const signedIn: SignedInAccount = {
    id: 'u-test',
    email: 'tester@example.com',
    teamIds: [],
    ...account,
    role: custom ? custom.name : (role as string),
  };
  TestBed.inject(AbilityService).use(signedIn, custom);
  return signedIn;
}
