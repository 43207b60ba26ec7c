import type { RoleName } from '@synapse/gateway/config';

export interface User {
  id: string;
  email: string;
  name: string | null;
  role: RoleName;
  /** argon2id; null for accounts that sign in only through single sign-on. */
  passwordHash: string | null;
  createdAt: Date;
  updatedAt: Date;
}
