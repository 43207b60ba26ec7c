import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Who is asking, for lockout counters, logs and the sessions table. */
export interface ClientInfo {
  /** As Fastify sees it: behind a proxy, set TRUST_PROXY so that this is the caller's address. */
  ip: string;
  userAgent: string | null;
}

const MAX_USER_AGENT = 512;

export function clientInfo(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: userAgent ? userAgent.slice(0, MAX_USER_AGENT) : null };
}

/** The caller's IP and user agent, on REST routes. */
export const Client = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ClientInfo => clientInfo(context.switchToHttp().getRequest()),
);
