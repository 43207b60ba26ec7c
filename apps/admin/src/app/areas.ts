import type { Routes } from '@angular/router';
import type { SubjectName } from '@synapse/rbac';
import { LOGS_TRANSLATIONS } from './areas/logs/logs.i18n';
import { OVERVIEW_TRANSLATIONS } from './areas/overview/overview.i18n';
import { USAGE_TRANSLATIONS } from './areas/usage/usage.i18n';
import { ALERTS_TRANSLATIONS } from './areas/alerts/alerts.i18n';
import { AUDIT_TRANSLATIONS } from './areas/audit/audit.i18n';
import { KEYS_TRANSLATIONS } from './areas/keys/keys.i18n';
import { ROLES_TRANSLATIONS } from './areas/roles/roles.i18n';
import { SETTINGS_TRANSLATIONS } from './areas/settings/settings.i18n';
import { TEAMS_TRANSLATIONS } from './areas/teams/teams.i18n';
import { USERS_TRANSLATIONS } from './areas/users/users.i18n';
import { CHANNELS_TRANSLATIONS } from './areas/channels/channels.i18n';
import { ROUTES_TRANSLATIONS } from './areas/routes/routes.i18n';
import { MODELS_TRANSLATIONS } from './areas/models/models.i18n';

/** An area's texts in each language the console speaks, under the area's own key. */
export interface AreaTranslations {
  readonly en: Record<string, unknown>;
  readonly 'zh-CN': Record<string, unknown>;
}

/**
 * One area of the console (a menu entry and its lazy-loaded pages). The shell builds its menu and
 * routes from `CONSOLE_AREAS`; an area is shown only to accounts that may read its subject.
 */
export interface ConsoleArea {
  /** The URL segment: `/channels`. */
  readonly path: string;
  /** The menu icon's name in the console's icon set (core/icons.ts). */
  readonly icon: string;
  /** The translation key of the menu label, such as `channels.title`. */
  readonly labelKey: string;
  /** The account must be allowed to read this subject to see the area. */
  readonly subject: SubjectName;
  readonly loadRoutes: () => Promise<Routes>;
  /** Texts keyed by the area's name: `{ en: { channels: {...} }, 'zh-CN': { channels: {...} } }`. */
  readonly translations: AreaTranslations;
}

/** The console's areas in menu order: each area adds its own entry here. */
export const CONSOLE_AREAS: readonly ConsoleArea[] = [
  {
    path: 'overview',
    icon: 'dashboard',
    labelKey: 'overview.title',
    subject: 'Usage',
    loadRoutes: () => import('./areas/overview/overview.routes').then((m) => m.OVERVIEW_ROUTES),
    translations: OVERVIEW_TRANSLATIONS,
  },
  {
    path: 'logs',
    icon: 'list',
    labelKey: 'logs.title',
    subject: 'RequestLog',
    loadRoutes: () => import('./areas/logs/logs.routes').then((m) => m.LOGS_ROUTES),
    translations: LOGS_TRANSLATIONS,
  },
  {
    path: 'usage',
    icon: 'bar_chart',
    labelKey: 'usage.title',
    subject: 'Usage',
    loadRoutes: () => import('./areas/usage/usage.routes').then((m) => m.USAGE_ROUTES),
    translations: USAGE_TRANSLATIONS,
  },
  {
    path: 'channels',
    icon: 'hub',
    labelKey: 'channels.title',
    subject: 'Channel',
    loadRoutes: () => import('./areas/channels/channels.routes').then((m) => m.CHANNELS_ROUTES),
    translations: CHANNELS_TRANSLATIONS,
  },
  {
    path: 'routes',
    icon: 'route',
    labelKey: 'routes.title',
    subject: 'Route',
    loadRoutes: () => import('./areas/routes/routes.routes').then((m) => m.ROUTES_ROUTES),
    translations: ROUTES_TRANSLATIONS,
  },
  {
    path: 'models',
    icon: 'sell',
    labelKey: 'models.title',
    subject: 'ModelPrice',
    loadRoutes: () => import('./areas/models/models.routes').then((m) => m.MODELS_ROUTES),
    translations: MODELS_TRANSLATIONS,
  },
  {
    path: 'keys',
    icon: 'key',
    labelKey: 'keys.title',
    subject: 'GatewayKey',
    loadRoutes: () => import('./areas/keys/keys.routes').then((m) => m.KEYS_ROUTES),
    translations: KEYS_TRANSLATIONS,
  },
  {
    path: 'users',
    icon: 'person',
    labelKey: 'users.title',
    subject: 'User',
    loadRoutes: () => import('./areas/users/users.routes').then((m) => m.USERS_ROUTES),
    translations: USERS_TRANSLATIONS,
  },
  {
    path: 'teams',
    icon: 'groups',
    labelKey: 'teams.title',
    subject: 'Team',
    loadRoutes: () => import('./areas/teams/teams.routes').then((m) => m.TEAMS_ROUTES),
    translations: TEAMS_TRANSLATIONS,
  },
  {
    path: 'roles',
    icon: 'shield',
    labelKey: 'roles.title',
    subject: 'Role',
    loadRoutes: () => import('./areas/roles/roles.routes').then((m) => m.ROLES_ROUTES),
    translations: ROLES_TRANSLATIONS,
  },
  {
    path: 'alerts',
    icon: 'notifications',
    labelKey: 'alerts.title',
    subject: 'Alert',
    loadRoutes: () => import('./areas/alerts/alerts.routes').then((m) => m.ALERTS_ROUTES),
    translations: ALERTS_TRANSLATIONS,
  },
  {
    path: 'audit',
    icon: 'policy',
    labelKey: 'audit.title',
    subject: 'AuditEvent',
    loadRoutes: () => import('./areas/audit/audit.routes').then((m) => m.AUDIT_ROUTES),
    translations: AUDIT_TRANSLATIONS,
  },
  {
    path: 'settings',
    icon: 'settings',
    labelKey: 'settings.title',
    // GET /api/auth/methods is public, but sign-in configuration is for those who read roles
    // (owner, admin, auditor): operators and members are not shown it.
    subject: 'Role',
    loadRoutes: () => import('./areas/settings/settings.routes').then((m) => m.SETTINGS_ROUTES),
    translations: SETTINGS_TRANSLATIONS,
  },
];
