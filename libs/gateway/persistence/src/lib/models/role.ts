import type { RoleDefinition } from '@synapse/rbac';

/** A custom role as stored: a name and its permission rules (see @synapse/rbac), editable at runtime. */
export interface StoredRole extends RoleDefinition {
  createdAt: Date;
  updatedAt: Date;
}
