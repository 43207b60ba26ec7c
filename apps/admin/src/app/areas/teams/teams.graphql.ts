import { gql } from 'apollo-angular';
import { LIMITS_FIELDS, type KeyLimits, type KeyLimitsInput, type Spend } from '../keys/keys.graphql';

export interface TeamMember {
  id: string;
  email: string;
  name: string | null;
}

export interface Team {
  id: string;
  name: string;
  description: string | null;
  createdAt: string;
  limits: KeyLimits | null;
  members: TeamMember[];
  spend: Spend | null;
}

export interface CreateTeamInput {
  name: string;
  description: string | null;
  memberIds: string[];
  limits: KeyLimitsInput | null;
}

export interface UpdateTeamInput {
  name?: string;
  description?: string | null;
  limits?: KeyLimitsInput | null;
}

const TEAM_FIELDS = `
  id
  name
  description
  createdAt
  limits { ${LIMITS_FIELDS} }
  members { id email name }
  spend { todayUsd monthUsd }
`;

export const TEAMS = gql<{ teams: Team[] }, Record<string, never>>`
  query Teams {
    teams { ${TEAM_FIELDS} }
  }
`;

/** The accounts that can be added to a team (asked only when the account may read others). */
export const TEAM_CANDIDATES = gql<{ users: TeamMember[] }, Record<string, never>>`
  query TeamCandidates {
    users {
      id
      email
      name
    }
  }
`;

export const CREATE_TEAM = gql<{ createTeam: Team }, { input: CreateTeamInput }>`
  mutation CreateTeam($input: CreateTeamInput!) {
    createTeam(input: $input) { ${TEAM_FIELDS} }
  }
`;

export const UPDATE_TEAM = gql<{ updateTeam: Team }, { id: string; input: UpdateTeamInput }>`
  mutation UpdateTeam($id: ID!, $input: UpdateTeamInput!) {
    updateTeam(id: $id, input: $input) { ${TEAM_FIELDS} }
  }
`;

export const DELETE_TEAM = gql<{ deleteTeam: { id: string } }, { id: string }>`
  mutation DeleteTeam($id: ID!) {
    deleteTeam(id: $id) {
      id
    }
  }
`;

export const ADD_TEAM_MEMBER = gql<{ addTeamMember: Team }, { teamId: string; userId: string }>`
  mutation AddTeamMember($teamId: ID!, $userId: ID!) {
    addTeamMember(teamId: $teamId, userId: $userId) { ${TEAM_FIELDS} }
  }
`;

export const REMOVE_TEAM_MEMBER = gql<{ removeTeamMember: Team }, { teamId: string; userId: string }>`
  mutation RemoveTeamMember($teamId: ID!, $userId: ID!) {
    removeTeamMember(teamId: $teamId, userId: $userId) { ${TEAM_FIELDS} }
  }
`;
