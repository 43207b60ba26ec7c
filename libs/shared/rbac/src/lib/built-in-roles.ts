import { Action } from './actions';
import type { PermissionRule, RoleDefinition } from './permission-rule';

/** The roles every installation has, strongest first. */
export const BUILT_IN_ROLES = ['owner', 'admin', 'operator', 'auditor', 'member'] as const;

export type BuiltInRole = (typeof BUILT_IN_ROLES)[number];

const WRITE = [Action.Create, Action.Update, Action.Delete] as const;

/** Everybody may read their own account (the `me` query). */
const READ_OWN_USER: PermissionRule = { action: Action.Read, subject: 'User', conditions: { id: '${user.id}' } };

/**
 * The built-in roles, as the same data a custom role is made of. Admin is owner minus two things:
 * roles (a role is a set of permissions, so whoever writes roles can give themselves anything) and
 * owner accounts (an admin can neither touch an owner nor make anyone owner). Services that create
 * or update users check the record both as stored and as it would be saved.
 */
export const BUILT_IN_ROLE_DEFINITIONS = {
  owner: {
    name: 'owner',
    description: 'Everything, including roles and owner accounts.',
    rules: [{ action: Action.Manage, subject: 'all' }],
  },
  admin: {
    name: 'admin',
    description: 'Everything except writing roles and owner accounts.',
    rules: [
      { action: Action.Manage, subject: 'all' },
      { action: WRITE, subject: 'Role', inverted: true, reason: 'Only an owner may create, change or delete roles.' },
      {
        action: WRITE,
        subject: 'User',
        conditions: { role: 'owner' },
        inverted: true,
        reason: 'Only an owner may create, change or delete an owner account, or make someone owner.',
      },
    ],
  },
  operator: {
    name: 'operator',
    description:
      'Channels, routes, routing targets, gateway keys, alerts and notification channels; reads request logs, usage, prices and teams; no users or roles.',
    rules: [
      {
        action: Action.Manage,
        subject: ['Channel', 'Route', 'RoutingTarget', 'GatewayKey', 'Alert', 'NotificationChannel'],
      },
      // Teams, to give keys to them.
      { action: Action.Read, subject: ['RequestLog', 'Usage', 'Team', 'ModelPrice'] },
      READ_OWN_USER,
    ],
  },
  auditor: {
    name: 'auditor',
    description: 'Reads everything, the audit log included; changes nothing.',
    rules: [{ action: Action.Read, subject: 'all' }],
  },
  member: {
    name: 'member',
    description:
      'Their own gateway keys, request logs and usage, their teams and the keys of their teams (read only), and their own account (read only).',
    rules: [
      READ_OWN_USER,
      {
        action: [Action.Read, Action.Create, Action.Delete],
        subject: 'GatewayKey',
        conditions: { userId: '${user.id}' },
      },
      // Everything of their keys but the limits: caps an admin set are not theirs to lift.
      {
        action: Action.Update,
        subject: 'GatewayKey',
        conditions: { userId: '${user.id}' },
        fields: ['name', 'models', 'endpoints', 'ipAllow', 'enabled', 'expiresAt'],
      },
      // Keys given to a team are the team's: its members see them, an operator or admin manages them.
      { action: Action.Read, subject: 'GatewayKey', conditions: { teamId: { $in: '${user.teamIds}' } } },
      { action: Action.Read, subject: 'Team', conditions: { id: { $in: '${user.teamIds}' } } },
      { action: Action.Read, subject: ['Usage', 'RequestLog'], conditions: { userId: '${user.id}' } },
    ],
  },
} as const satisfies Record<BuiltInRole, RoleDefinition>;

export function isBuiltInRole(role: string): role is BuiltInRole {
  return (BUILT_IN_ROLES as readonly string[]).includes(role);
}
