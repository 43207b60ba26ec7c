import { verify } from 'argon2';

/** Checks a password against its stored argon2id hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await verify(hash, password);
  } catch {
    // A malformed stored hash is a failed check, not a 500 that would tell the account exists.
    return false;
  }
}
