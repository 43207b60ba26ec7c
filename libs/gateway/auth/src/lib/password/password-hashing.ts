import { hash, verify } from 'argon2';

/** An argon2id hash of a password, for accounts from the API, the config file and the first owner alike. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { type: 2 /* argon2id */ });
}

/** Checks a password against its stored argon2id hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await verify(hash, password);
  } catch {
    // A malformed stored hash is a failed check, not a 500 that would tell the account exists.
    return false;
  }
}
