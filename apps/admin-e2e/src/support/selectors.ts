/**
 * The `data-testid` attributes the browser suite drives the console through (CONSOLE_GUIDE.md:
 * `<area>-<thing>`, inputs `<area>-field-<name>`, rows `<area>-row`, row actions `<area>-<action>`).
 * The pages put them on their elements; a renamed id breaks this suite, not the other way round.
 */

/** Every menu entry of the shell, `nav-<path>`, in menu order. */
export const AREA_PATHS = [
  'overview',
  'logs',
  'usage',
  'channels',
  'routes',
  'models',
  'keys',
  'users',
  'teams',
  'roles',
  'alerts',
  'audit',
  'settings',
] as const;
export type AreaPath = (typeof AREA_PATHS)[number];

/**
 * The sign-in page. The CSS alternatives after the test ids match the page as it is on main today
 * (plain inputs with ids); the shell's version carries the test ids.
 */
export const LOGIN = {
  email: '[data-testid="login-email"], #login-email',
  password: '[data-testid="login-password"], #login-password',
  submit: '[data-testid="login-submit"], form button[type="submit"]',
  error: '[data-testid="login-error"], .alert-error[role="alert"]',
} as const;

export const SHELL = {
  nav: (path: AreaPath) => `nav-${path}`,
  /** The account menu that holds sign-out (a direct `sign-out` button works too). */
  account: 'shell-account',
  /** The menu button of narrow screens (below 960 px), which slides the menu over the page. */
  menu: 'shell-menu',
  signOut: 'sign-out',
  /** The shell's own error line (the account could not be read). */
  error: 'shell-error',
} as const;

export const CHANNELS = {
  new: 'channels-new',
  name: 'channels-field-name',
  baseUrl: 'channels-field-baseUrl',
  apiKey: 'channels-field-apiKey',
  /** Comma-separated text, or a chip input (one Enter per model): fillModels() handles both. */
  models: 'channels-field-models',
  save: 'channels-save',
  /** Extra headers: a row is added by the button; name and value inputs per row. */
  headerAdd: 'channels-header-add',
  headerName: 'channels-field-header-name',
  headerValue: 'channels-field-header-value',
  /** Timeout of the whole call, in milliseconds. */
  totalMs: 'channels-field-totalMs',
  edit: 'channels-edit',
  row: 'channels-row',
  disable: 'channels-disable',
  test: 'channels-test',
  testResult: 'channels-test-result',
  error: 'channels-error',
} as const;

export const ROUTES = {
  new: 'routes-new',
  name: 'routes-field-name',
  /** The first target row's model (a non-Dify channel). */
  targetModel: 'routes-field-target-model',
  attempts: 'routes-field-retry-attempts',
  backoffMs: 'routes-field-retry-backoffMs',
  /** One checkbox per failure that is retried: CONNECT, TIMEOUT, STATUS_429, STATUS_5XX. */
  retryOn: (reason: string) => `routes-field-retry-${reason}`,
  save: 'routes-save',
  row: 'routes-row',
} as const;

export const KEYS = {
  new: 'keys-new',
  name: 'keys-field-name',
  save: 'keys-save',
  /** The new key's secret, shown once after creation. */
  secret: 'keys-secret',
  copy: 'keys-copy',
  /** Closes the one-time secret (when the page shows it in a dialog). */
  secretDone: 'keys-secret-done',
  row: 'keys-row',
  revoke: 'keys-revoke',
} as const;

export const LOGS = {
  row: 'logs-row',
  detail: 'logs-detail',
  /** The request headers kept with the call, in the drawer. */
  headers: 'logs-detail-headers',
} as const;

export const OVERVIEW = {
  /** Requests over the chosen range. */
  requests: 'overview-requests',
  /** Requests in the live window, pushed over the GraphQL subscription. */
  liveRequests: 'overview-live-requests',
} as const;

export const MODELS = {
  new: 'models-new',
  model: 'models-field-model',
  input: 'models-field-input',
  output: 'models-field-output',
  perMinute: 'models-field-perMinute',
  save: 'models-save',
  row: 'models-row',
  units: 'models-units',
} as const;

export const ALERTS = {
  new: 'alerts-new',
  name: 'alerts-field-name',
  /** Filled when the form has it (threshold rules); the form's defaults are used otherwise. */
  threshold: 'alerts-field-threshold',
  save: 'alerts-save',
  row: 'alerts-row',
} as const;
