import { gql } from 'apollo-angular';

/** A rule as the API returns it (lists always, `inverted` always set). */
export interface RoleRule {
  action: string[];
  subject: string[];
  conditions: Record<string, unknown> | null;
  fields: string[] | null;
  inverted: boolean;
  reason: string | null;
}

export interface Role {
  name: string;
  builtIn: boolean;
  description: string;
  updatedAt: string | null;
  rules: RoleRule[];
}

/** A rule as the API takes it: optional parts left out. */
export interface PermissionRuleInput {
  action: string[];
  subject: string[];
  conditions?: Record<string, unknown>;
  fields?: string[];
  inverted?: boolean;
  reason?: string;
}

export interface CreateRoleInput {
  name: string;
  description: string;
  rules: PermissionRuleInput[];
}

export interface UpdateRoleInput {
  description?: string;
  rules?: PermissionRuleInput[];
}

const ROLE_FIELDS = `
  name
  builtIn
  description
  updatedAt
  rules { action subject conditions fields inverted reason }
`;

export const ROLES = gql<{ roles: Role[] }, Record<string, never>>`
  query Roles {
    roles { ${ROLE_FIELDS} }
  }
`;

export const CREATE_ROLE = gql<{ createRole: Role }, { input: CreateRoleInput }>`
  mutation CreateRole($input: CreateRoleInput!) {
    createRole(input: $input) { ${ROLE_FIELDS} }
  }
`;

export const UPDATE_ROLE = gql<{ updateRole: Role }, { name: string; input: UpdateRoleInput }>`
  mutation UpdateRole($name: String!, $input: UpdateRoleInput!) {
    updateRole(name: $name, input: $input) { ${ROLE_FIELDS} }
  }
`;

export const DELETE_ROLE = gql<{ deleteRole: { name: string } }, { name: string }>`
  mutation DeleteRole($name: String!) {
    deleteRole(name: $name) {
      name
    }
  }
`;
