import { TestBed } from '@angular/core/testing';
import { AbilityService } from './ability.service';
import { signInAs } from './testing/sign-in-as';

describe(AbilityService.name, () => {
  it('allows nothing before sign-in', () => {
    const ability = TestBed.inject(AbilityService);
    expect(ability.can('read', 'GatewayKey')).toBe(false);
    expect(ability.account()).toBeNull();
  });

  it('follows the built-in role the gateway enforces', () => {
    signInAs('operator');
    const ability = TestBed.inject(AbilityService);
    expect(ability.can('create', 'Channel')).toBe(true);
    expect(ability.can('read', 'Role')).toBe(false);
  });

  it('checks conditions on records: a member updates their own key only', () => {
    signInAs('member', { id: 'u1' });
    const ability = TestBed.inject(AbilityService);
    expect(ability.can('create', 'Channel')).toBe(false);
    expect(ability.canOn('read', 'GatewayKey', { userId: 'u1' })).toBe(true);
    expect(ability.canOn('read', 'GatewayKey', { userId: 'u2' })).toBe(false);
  });

  it('builds a custom role from its definition and allows nothing without it', () => {
    signInAs({ name: 'viewer', description: '', rules: [{ action: 'read', subject: 'Channel' }] });
    const ability = TestBed.inject(AbilityService);
    expect(ability.can('read', 'Channel')).toBe(true);
    expect(ability.can('update', 'Channel')).toBe(false);
    ability.use({ id: 'u1', email: 'a@b.c', role: 'viewer', teamIds: [] });
    expect(ability.can('read', 'Channel')).toBe(false);
    ability.clear();
    expect(ability.account()).toBeNull();
  });
});
