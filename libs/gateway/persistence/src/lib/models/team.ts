import type { KeyLimits } from './gateway-key';

/** A group of users; gateway keys may belong to a team instead of a user. */
export interface Team {
  id: string;
  name: string;
  description: string | null;
  /** Caps on the traffic of all the team's keys together; null: none. */
  limits: KeyLimits | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One user's membership of one team. */
export interface TeamMembership {
  teamId: string;
  userId: string;
  createdAt: Date;
}
