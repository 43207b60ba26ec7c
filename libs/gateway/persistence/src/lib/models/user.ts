export interface User {
  id: string;
  email: string;
  name: string | null;
  /** A built-in role (owner, admin, operator, auditor, member) or the name of a custom role. */
  role: string;
  /** argon2id; null for accounts that sign in only through single sign-on. */
  passwordHash: string | null;
  createdAt: Date;
  updatedAt: Date;
}
