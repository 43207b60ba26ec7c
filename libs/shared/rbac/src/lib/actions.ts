/** What a permission lets someone do. `manage` is CASL's wildcard: every action, present and future. */
export const Action = {
  Manage: 'manage',
  Create: 'create',
  Read: 'read',
  Update: 'update',
  Delete: 'delete',
} as const;

export type Action = (typeof Action)[keyof typeof Action];

export const ACTIONS: readonly Action[] = Object.values(Action);
