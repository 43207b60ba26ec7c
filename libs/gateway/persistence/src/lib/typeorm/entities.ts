import { EntitySchema } from 'typeorm';
import type { Channel } from '../models/channel';
import type { GatewayKey } from '../models/gateway-key';
import type { RefreshToken } from '../models/refresh-token';
import type { RequestBody } from '../models/request-body';
import type { RequestLogEntry } from '../models/request-log';
import type { Route } from '../models/route';
import type { TargetEvent, TargetOverride } from '../models/target-event';
import type { AlertEvent, AlertRule, AlertState, NotificationChannel, NotificationDelivery } from '../models/alert';
import type { AuditEvent } from '../models/audit-event';
import type { StoredRole } from '../models/role';
import type { Team, TeamMembership } from '../models/team';
import type { User } from '../models/user';
import type { StoredModelPrice } from '../models/model-price';
import type { UsageRollup } from '../models/usage-rollup';
import { columnTypes, type SqlDialect } from './column-types';
import { difyEntities } from './dify-entities';

/** Mappings of the plain models onto tables; the same schema serves SQLite and PostgreSQL. */
export function createEntities(dialect: SqlDialect) {
  const { timestamp } = columnTypes(dialect);
  const createdAt = { type: timestamp, createDate: true } as const;
  const updatedAt = { type: timestamp, updateDate: true } as const;

  const channel = new EntitySchema<Channel>({
    name: 'Channel',
    tableName: 'channels',
    columns: {
      id: { type: 'varchar', length: 36, primary: true },
      name: { type: 'varchar', length: 64, unique: true },
      type: { type: 'varchar', length: 32 },
      baseUrl: { type: 'text', name: 'base_url' },
      apiKeyEncrypted: { type: 'text', name: 'api_key_encrypted', nullable: true },
      apiKeyHint: { type: 'varchar', length: 16, name: 'api_key_hint', nullable: true },
      models: { type: 'simple-json' },
      enabled: { type: 'boolean' },
      headers: { type: 'simple-json' },
      timeouts: { type: 'simple-json' },
      createdAt: { ...createdAt, name: 'created_at' },
      updatedAt: { ...updatedAt, name: 'updated_at' },
    },
  });

  const gatewayKey = new EntitySchema<GatewayKey>({
    name: 'GatewayKey',
    tableName: 'gateway_keys',
    columns: {
      id: { type: 'varchar', length: 36, primary: true },
      name: { type: 'varchar', length: 64, unique: true },
      prefix: { type: 'varchar', length: 16 },
      hash: { type: 'varchar', length: 64, unique: true },
      models: { type: 'simple-json' },
      endpoints: { type: 'simple-json', nullable: true },
      ipAllow: { type: 'simple-json', name: 'ip_allow', nullable: true },
      limits: { type: 'simple-json', nullable: true },
      enabled: { type: 'boolean' },
      expiresAt: { type: timestamp, name: 'expires_at', nullable: true },
      previousHash: { type: 'varchar', length: 64, name: 'previous_hash', nullable: true },
      previousValidUntil: { type: timestamp, name: 'previous_valid_until', nullable: true },
      revokedAt: { type: timestamp, name: 'revoked_at', nullable: true },
      userId: { type: 'varchar', length: 36, name: 'user_id', nullable: true },
      teamId: { type: 'varchar', length: 36, name: 'team_id', nullable: true },
      captureBodies: { type: 'boolean', name: 'capture_bodies', default: false },
      createdAt: { ...createdAt, name: 'created_at' },
      updatedAt: { ...updatedAt, name: 'updated_at' },
    },
  });

  const user = new EntitySchema<User>({
    name: 'User',
    tableName: 'users',
    columns: {
      id: { type: 'varchar', length: 36, primary: true },
      email: { type: 'varchar', length: 254, unique: true },
      name: { type: 'varchar', length: 200, nullable: true },
      role: { type: 'varchar', length: 32 },
      passwordHash: { type: 'text', name: 'password_hash', nullable: true },
      limits: { type: 'simple-json', nullable: true },
      ssoIssuer: { type: 'varchar', length: 512, name: 'sso_issuer', nullable: true },
      ssoSubject: { type: 'varchar', length: 255, name: 'sso_subject', nullable: true },
      createdAt: { ...createdAt, name: 'created_at' },
      updatedAt: { ...updatedAt, name: 'updated_at' },
    },
  });

  const requestLog = new EntitySchema<RequestLogEntry>({
    name: 'RequestLog',
    tableName: 'request_logs',
    columns: {
      id: { type: 'varchar', length: 64, primary: true },
      createdAt: { type: timestamp, name: 'created_at' },
      endpoint: { type: 'varchar', length: 32 },
      keyId: { type: 'varchar', length: 36, name: 'key_id', nullable: true },
      userId: { type: 'varchar', length: 36, name: 'user_id', nullable: true },
      teamId: { type: 'varchar', length: 36, name: 'team_id', nullable: true },
      requestedModel: { type: 'varchar', length: 200, name: 'requested_model', nullable: true },
      routeName: { type: 'varchar', length: 200, name: 'route_name', nullable: true },
      channelId: { type: 'varchar', length: 36, name: 'channel_id', nullable: true },
      upstreamModel: { type: 'varchar', length: 200, name: 'upstream_model', nullable: true },
      attempts: { type: 'integer', nullable: true },
      stream: { type: 'boolean' },
      status: { type: 'integer' },
      latencyMs: { type: 'integer', name: 'latency_ms' },
      ttftMs: { type: 'integer', name: 'ttft_ms', nullable: true },
      promptTokens: { type: 'integer', name: 'prompt_tokens', nullable: true },
      completionTokens: { type: 'integer', name: 'completion_tokens', nullable: true },
      totalTokens: { type: 'integer', name: 'total_tokens', nullable: true },
      cachedTokens: { type: 'integer', name: 'cached_tokens', nullable: true },
      audioSeconds: { type: 'integer', name: 'audio_seconds', nullable: true },
      usageSource: { type: 'varchar', length: 16, name: 'usage_source', nullable: true },
      costUsd: { type: 'double precision', name: 'cost_usd', nullable: true },
      errorClass: { type: 'varchar', length: 64, name: 'error_class', nullable: true },
      errorMessage: { type: 'text', name: 'error_message', nullable: true },
      ingressFormat: { type: 'varchar', length: 32, name: 'ingress_format', nullable: true },
      requestHeaders: { type: 'simple-json', name: 'request_headers', nullable: true },
    },
  });

  const requestBody = new EntitySchema<RequestBody>({
    name: 'RequestBody',
    tableName: 'request_bodies',
    columns: {
      requestId: { type: 'varchar', length: 64, primary: true, name: 'request_id' },
      createdAt: { type: timestamp, name: 'created_at' },
      request: { type: 'text', nullable: true },
      response: { type: 'text', nullable: true },
      requestTruncated: { type: 'boolean', name: 'request_truncated' },
      responseTruncated: { type: 'boolean', name: 'response_truncated' },
    },
  });

  const route = new EntitySchema<Route>({
    name: 'Route',
    tableName: 'routes',
    columns: {
      id: { type: 'varchar', length: 36, primary: true },
      name: { type: 'varchar', length: 200, unique: true },
      strategy: { type: 'varchar', length: 32 },
      targets: { type: 'simple-json' },
      fallbacks: { type: 'simple-json' },
      aliases: { type: 'simple-json' },
      retry: { type: 'simple-json', nullable: true },
      captureBodies: { type: 'boolean', name: 'capture_bodies', default: false },
      createdAt: { ...createdAt, name: 'created_at' },
      updatedAt: { ...updatedAt, name: 'updated_at' },
    },
  });

  const targetEvent = new EntitySchema<TargetEvent>({
    name: 'TargetEvent',
    tableName: 'target_events',
    columns: {
      id: { type: 'varchar', length: 36, primary: true },
      at: { type: timestamp },
      targetId: { type: 'varchar', length: 300, name: 'target_id' },
      channelId: { type: 'varchar', length: 36, name: 'channel_id' },
      fromState: { type: 'varchar', length: 32, name: 'from_state' },
      toState: { type: 'varchar', length: 32, name: 'to_state' },
      cause: { type: 'varchar', length: 32 },
    },
  });

  const targetOverride = new EntitySchema<TargetOverride>({
    name: 'TargetOverride',
    tableName: 'target_overrides',
    columns: {
      targetId: { type: 'varchar', length: 300, primary: true, name: 'target_id' },
      disabled: { type: 'boolean' },
      updatedAt: { type: timestamp, name: 'updated_at' },
    },
  });

  const refreshToken = new EntitySchema<RefreshToken>({
    name: 'RefreshToken',
    tableName: 'refresh_tokens',
    columns: {
      id: { type: 'varchar', length: 36, primary: true },
      userId: { type: 'varchar', length: 36, name: 'user_id' },
      familyId: { type: 'varchar', length: 36, name: 'family_id' },
      tokenHash: { type: 'varchar', length: 64, name: 'token_hash', unique: true },
      expiresAt: { type: timestamp, name: 'expires_at' },
      revokedAt: { type: timestamp, name: 'revoked_at', nullable: true },
      replacedBy: { type: 'varchar', length: 36, name: 'replaced_by', nullable: true },
      createdAt: { type: timestamp, name: 'created_at' },
      sessionStartedAt: { type: timestamp, name: 'session_started_at', nullable: true },
      userAgent: { type: 'varchar', length: 512, name: 'user_agent', nullable: true },
      ip: { type: 'varchar', length: 64, nullable: true },
    },
  });

  const team = new EntitySchema<Team>({
    name: 'Team',
    tableName: 'teams',
    columns: {
      id: { type: 'varchar', length: 36, primary: true },
      name: { type: 'varchar', length: 64, unique: true },
      description: { type: 'text', nullable: true },
      limits: { type: 'simple-json', nullable: true },
      createdAt: { ...createdAt, name: 'created_at' },
      updatedAt: { ...updatedAt, name: 'updated_at' },
    },
  });

  const teamMembership = new EntitySchema<TeamMembership>({
    name: 'TeamMembership',
    tableName: 'team_members',
    columns: {
      teamId: { type: 'varchar', length: 36, primary: true, name: 'team_id' },
      userId: { type: 'varchar', length: 36, primary: true, name: 'user_id' },
      createdAt: { type: timestamp, name: 'created_at' },
    },
  });

  const role = new EntitySchema<StoredRole>({
    name: 'Role',
    tableName: 'roles',
    columns: {
      name: { type: 'varchar', length: 32, primary: true },
      description: { type: 'text' },
      rules: { type: 'simple-json' },
      createdAt: { ...createdAt, name: 'created_at' },
      updatedAt: { ...updatedAt, name: 'updated_at' },
    },
  });

  const auditEvent = new EntitySchema<AuditEvent>({
    name: 'AuditEvent',
    tableName: 'audit_events',
    columns: {
      id: { type: 'varchar', length: 64, primary: true },
      at: { type: timestamp },
      actorId: { type: 'varchar', length: 36, name: 'actor_id', nullable: true },
      actorEmail: { type: 'varchar', length: 254, name: 'actor_email', nullable: true },
      ip: { type: 'varchar', length: 64, nullable: true },
      action: { type: 'varchar', length: 100 },
      subject: { type: 'varchar', length: 64, nullable: true },
      subjectId: { type: 'varchar', length: 300, name: 'subject_id', nullable: true },
      outcome: { type: 'varchar', length: 16 },
      detail: { type: 'text', nullable: true },
      changes: { type: 'simple-json', nullable: true },
      requestId: { type: 'varchar', length: 64, name: 'request_id', nullable: true },
    },
  });

  // Usage rollups are written and read by raw SQL (upserts, sums); the schema is here so that
  // TypeORM knows the tables (and tests can empty them).
  const usageRollup = new EntitySchema<UsageRollup>({
    name: 'UsageRollup',
    tableName: 'usage_rollups',
    columns: {
      granularity: { type: 'varchar', length: 8, primary: true },
      dimension: { type: 'varchar', length: 8, primary: true },
      dimensionValue: { type: 'varchar', length: 64, name: 'dimension_value', primary: true },
      bucketStart: { type: timestamp, name: 'bucket_start', primary: true },
      model: { type: 'varchar', length: 200, primary: true },
      requests: { type: 'bigint' },
      errors: { type: 'bigint' },
      promptTokens: { type: 'bigint', name: 'prompt_tokens' },
      completionTokens: { type: 'bigint', name: 'completion_tokens' },
      cachedTokens: { type: 'bigint', name: 'cached_tokens' },
      costUsd: { type: 'double precision', name: 'cost_usd' },
      latencySumMs: { type: 'bigint', name: 'latency_sum_ms' },
      latencyBuckets: { type: 'text', name: 'latency_buckets' },
      ttftSumMs: { type: 'bigint', name: 'ttft_sum_ms' },
      ttftCount: { type: 'bigint', name: 'ttft_count' },
      generationMs: { type: 'bigint', name: 'generation_ms' },
      generationTokens: { type: 'bigint', name: 'generation_tokens' },
    },
  });

  const usageRollupState = new EntitySchema<{
    name: string;
    watermarkMs: string | null;
    leaseOwner: string | null;
    leaseUntilMs: string | null;
  }>({
    name: 'UsageRollupState',
    tableName: 'usage_rollup_state',
    columns: {
      name: { type: 'varchar', length: 32, primary: true },
      watermarkMs: { type: 'bigint', name: 'watermark_ms', nullable: true },
      leaseOwner: { type: 'varchar', length: 64, name: 'lease_owner', nullable: true },
      leaseUntilMs: { type: 'bigint', name: 'lease_until_ms', nullable: true },
    },
  });

  const modelPrice = new EntitySchema<StoredModelPrice>({
    name: 'ModelPrice',
    tableName: 'model_prices',
    columns: {
      id: { type: 'varchar', length: 36, primary: true },
      model: { type: 'varchar', length: 200 },
      input: { type: 'double precision' },
      output: { type: 'double precision' },
      cachedInput: { type: 'double precision', name: 'cached_input', nullable: true },
      perCall: { type: 'double precision', name: 'per_call', nullable: true },
      perMinute: { type: 'double precision', name: 'per_minute', nullable: true },
      perMillionCharacters: { type: 'double precision', name: 'per_million_characters', nullable: true },
      effectiveFrom: { type: timestamp, name: 'effective_from' },
      createdBy: { type: 'varchar', length: 254, name: 'created_by', nullable: true },
      deleted: { type: 'boolean' },
    },
  });
  const alerting = alertEntities(timestamp);

  return {
    ...alerting,
    ...difyEntities(timestamp),
    channel,
    gatewayKey,
    user,
    requestLog,
    requestBody,
    route,
    targetEvent,
    targetOverride,
    refreshToken,
    team,
    teamMembership,
    role,
    auditEvent,
    usageRollup,
    usageRollupState,
    modelPrice,
  };
}

export type Entities = ReturnType<typeof createEntities>;

/** Alert rules, notification channels, alert states and history, deliveries (migration 0014). */
function alertEntities(timestamp: ReturnType<typeof columnTypes>['timestamp']) {
  const alertRule = new EntitySchema<AlertRule>({
    name: 'AlertRule',
    tableName: 'alert_rules',
    columns: {
      id: { type: 'varchar', length: 36, primary: true },
      name: { type: 'varchar', length: 64, unique: true },
      description: { type: 'text', nullable: true },
      enabled: { type: 'boolean' },
      kind: { type: 'varchar', length: 32 },
      scope: { type: 'simple-json' },
      windowSeconds: { type: 'integer', name: 'window_seconds' },
      threshold: { type: 'double precision', nullable: true },
      percentile: { type: 'double precision', nullable: true },
      budgetPeriod: { type: 'varchar', length: 8, name: 'budget_period', nullable: true },
      minRequests: { type: 'integer', name: 'min_requests' },
      forSeconds: { type: 'integer', name: 'for_seconds' },
      repeatIntervalSeconds: { type: 'integer', name: 'repeat_interval_seconds' },
      notificationChannelIds: { type: 'simple-json', name: 'notification_channel_ids' },
      createdAt: { type: timestamp, name: 'created_at' },
      updatedAt: { type: timestamp, name: 'updated_at' },
    },
  });

  const notificationChannel = new EntitySchema<NotificationChannel>({
    name: 'NotificationChannel',
    tableName: 'notification_channels',
    columns: {
      id: { type: 'varchar', length: 36, primary: true },
      name: { type: 'varchar', length: 64, unique: true },
      kind: { type: 'varchar', length: 16 },
      enabled: { type: 'boolean' },
      settings: { type: 'simple-json' },
      secretsEncrypted: { type: 'text', name: 'secrets_encrypted', nullable: true },
      secretHint: { type: 'varchar', length: 300, name: 'secret_hint', nullable: true },
      createdAt: { type: timestamp, name: 'created_at' },
      updatedAt: { type: timestamp, name: 'updated_at' },
    },
  });

  const alertState = new EntitySchema<AlertState>({
    name: 'AlertState',
    tableName: 'alert_states',
    columns: {
      ruleId: { type: 'varchar', length: 36, primary: true, name: 'rule_id' },
      status: { type: 'varchar', length: 16 },
      version: { type: 'integer' },
      since: { type: timestamp, nullable: true },
      firedAt: { type: timestamp, name: 'fired_at', nullable: true },
      resolvedAt: { type: timestamp, name: 'resolved_at', nullable: true },
      lastNotifiedAt: { type: timestamp, name: 'last_notified_at', nullable: true },
      value: { type: 'double precision', nullable: true },
      summary: { type: 'text', nullable: true },
      evaluatedAt: { type: timestamp, name: 'evaluated_at' },
    },
  });

  const alertEvent = new EntitySchema<AlertEvent>({
    name: 'AlertEvent',
    tableName: 'alert_events',
    columns: {
      id: { type: 'varchar', length: 36, primary: true },
      ruleId: { type: 'varchar', length: 36, name: 'rule_id' },
      ruleName: { type: 'varchar', length: 64, name: 'rule_name' },
      type: { type: 'varchar', length: 16 },
      at: { type: timestamp },
      value: { type: 'double precision', nullable: true },
      summary: { type: 'text', nullable: true },
    },
  });

  const notificationDelivery = new EntitySchema<NotificationDelivery>({
    name: 'NotificationDelivery',
    tableName: 'notification_deliveries',
    columns: {
      id: { type: 'varchar', length: 36, primary: true },
      alertEventId: { type: 'varchar', length: 36, name: 'alert_event_id', nullable: true },
      ruleId: { type: 'varchar', length: 36, name: 'rule_id', nullable: true },
      channelId: { type: 'varchar', length: 36, name: 'channel_id' },
      at: { type: timestamp },
      ok: { type: 'boolean' },
      attempts: { type: 'integer' },
      statusCode: { type: 'integer', name: 'status_code', nullable: true },
      response: { type: 'text', nullable: true },
      error: { type: 'text', nullable: true },
    },
  });

  return { alertRule, notificationChannel, alertState, alertEvent, notificationDelivery };
}
