import { gql } from 'apollo-angular';
import { LIMITS_FIELDS, type KeyLimits, type KeyLimitsInput, type Spend } from '../keys/keys.graphql';

export interface User {
  id: string;
  email: string;
  name: string | null;
  role: string;
  hasPassword: boolean;
  teamIds: string[];
  createdAt: string;
  limits: KeyLimits | null;
  spend: Spend | null;
}

export interface RoleName {
  name: string;
  builtIn: boolean;
}

export interface CreateUserInput {
  email: string;
  name: string | null;
  role: string;
  password?: string;
  limits: KeyLimitsInput | null;
}

export interface UpdateUserInput {
  name?: string | null;
  role?: string;
  limits?: KeyLimitsInput | null;
}

const USER_FIELDS = `
  id
  email
  name
  role
  hasPassword
  teamIds
  createdAt
  limits { ${LIMITS_FIELDS} }
  spend { todayUsd monthUsd }
`;

export const USERS = gql<{ users: User[] }, Record<string, never>>`
  query Users {
    users { ${USER_FIELDS} }
  }
`;

/** The roles that can be given (asked only when the account may read roles). */
export const ROLE_NAMES = gql<{ roles: RoleName[] }, Record<string, never>>`
  query RoleNames {
    roles {
      name
      builtIn
    }
  }
`;

export const CREATE_USER = gql<{ createUser: User }, { input: CreateUserInput }>`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) { ${USER_FIELDS} }
  }
`;

export const UPDATE_USER = gql<{ updateUser: User }, { id: string; input: UpdateUserInput }>`
  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) { ${USER_FIELDS} }
  }
`;

export const DELETE_USER = gql<{ deleteUser: { id: string } }, { id: string }>`
  mutation DeleteUser($id: ID!) {
    deleteUser(id: $id) {
      id
    }
  }
`;
