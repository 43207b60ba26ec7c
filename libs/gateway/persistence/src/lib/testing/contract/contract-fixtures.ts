import { createHash, randomUUID } from 'node:crypto';
import type { AuditEvent } from '../../models/audit-event';
import type { Channel } from '../../models/channel';
import type { GatewayKey } from '../../models/gateway-key';
import type { RequestLogEntry } from '../../models/request-log';
import type { Route } from '../../models/route';
import type { Team } from '../../models/team';
import type { User } from '../../models/user';

/** Records for the contract cases: complete, with fresh ids, overridable field by field. */

export const T0 = new Date('2026-05-01T10:00:00.000Z');

export function channel(overrides: Partial<Channel> = {}): Channel {
  return {
    id: randomUUID(),
    name: 'openai-main',
    type: 'openai',
    baseUrl: 'http://127.0.0.1:9000/v1',
    apiKeyEncrypted: 'v1.abcd.iv.body',
    apiKeyHint: '…wxyz',
    models: ['gpt-4o-mini', 'text-embedding-3-small'],
    enabled: true,
    headers: { 'x-team': 'a' },
    timeouts: { totalMs: 1000 },
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function gatewayKey(overrides: Partial<GatewayKey> = {}): GatewayKey {
  return {
    id: randomUUID(),
    name: 'ci',
    prefix: 'sk-test-01',
    hash: createHash('sha256').update(randomUUID()).digest('hex'),
    limits: { rpm: 60, concurrency: 2 },
    teamId: null,
    models: ['*'],
    endpoints: null,
    ipAllow: null,
    enabled: true,
    expiresAt: new Date('2030-01-01T00:00:00Z'),
    previousHash: null,
    previousValidUntil: null,
    revokedAt: null,
    userId: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function route(overrides: Partial<Route> = {}): Route {
  return {
    id: randomUUID(),
    name: 'gpt-4o*',
    strategy: 'priority',
    targets: [
      { channelId: 'c1', model: '*', weight: 1, priority: 2 },
      { channelId: 'c2', model: 'gpt-4o-mini', weight: 3, priority: 0, rpm: 60 },
    ],
    fallbacks: ['backup'],
    aliases: [],
    retry: { attempts: 2, retryOn: ['5xx'] },
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function user(overrides: Partial<User> = {}): User {
  return {
    id: randomUUID(),
    email: 'ops@example.com',
    name: null,
    role: 'member',
    passwordHash: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function team(overrides: Partial<Team> = {}): Team {
  return {
    id: randomUUID(),
    name: `team-${randomUUID().slice(0, 8)}`,
    description: null,
    limits: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function auditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: randomUUID(),
    at: T0,
    actorId: 'u1',
    actorEmail: 'ops@example.com',
    ip: '127.0.0.1',
    action: 'Mutation.createGatewayKey',
    subject: 'GatewayKey',
    subjectId: null,
    outcome: 'succeeded',
    detail: null,
    changes: null,
    requestId: null,
    ...overrides,
  };
}

export function logEntry(i: number, overrides: Partial<RequestLogEntry> = {}): RequestLogEntry {
  return {
    id: `req_${i}_${randomUUID()}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
    endpoint: 'chat.completions',
    keyId: 'key-1',
    userId: null,
    teamId: i % 2 === 0 ? 'team-1' : null,
    requestedModel: 'gpt-4o-mini',
    routeName: 'gpt-4o-mini',
    channelId: 'ch-1',
    upstreamModel: 'gpt-4o-mini',
    attempts: 1,
    stream: i % 2 === 0,
    status: 200,
    latencyMs: 12,
    ttftMs: i % 2 === 0 ? 5 : null,
    promptTokens: 10,
    completionTokens: 3,
    totalTokens: 13,
    cachedTokens: i % 2 === 0 ? 4 : null,
    ingressFormat: i % 2 === 0 ? 'anthropic' : null,
    audioSeconds: i % 3 === 0 ? 8 : null,
    requestHeaders: i % 2 === 0 ? { 'user-agent': `OpenAI/Python 1.${i}.0`, 'x-stainless-lang': 'python' } : null,
    usageSource: 'upstream',
    costUsd: i % 3 === 0 ? null : 0.000125,
    errorClass: null,
    errorMessage: null,
    ...overrides,
  };
}

/**
 * Matches `text` as a store keeps it: SQLite and memory keep a NUL, PostgreSQL (whose text cannot
 * hold one) gets U+FFFD for it from its client.
 */
export function keptWithNul(text: string): unknown {
  const pattern = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('\u0000', '[\u0000\ufffd]');
  return expect.stringMatching(new RegExp(`^${pattern}$`));
}
