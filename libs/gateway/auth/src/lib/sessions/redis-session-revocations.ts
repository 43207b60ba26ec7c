import type Redis from 'ioredis';
import { REVOCATION_TTL_SECONDS, SessionRevocations, type TokenSession } from './session-revocations';

const SESSION = 'synapse:revoked:session:';
const USER = 'synapse:revoked:user:';

/** Revocations in Redis, seen by every replica (and by replicas started after them). */
export class RedisSessionRevocations extends SessionRevocations {
  constructor(private readonly redis: Redis) {
    super();
  }

  async revokeSession(sessionId: string): Promise<void> {
    await this.redis.set(`${SESSION}${sessionId}`, '1', 'EX', REVOCATION_TTL_SECONDS);
  }

  async revokeUser(userId: string, now = Date.now()): Promise<void> {
    await this.redis.set(`${USER}${userId}`, String(now), 'EX', REVOCATION_TTL_SECONDS);
  }

  async isRevoked({ userId, sessionId, issuedAt }: TokenSession): Promise<boolean> {
    const [session, from] = await this.redis.mget(
      sessionId ? `${SESSION}${sessionId}` : `${SESSION}-`,
      `${USER}${userId}`,
    );
    return session !== null || (from !== null && issuedAt <= Number(from));
  }
}
