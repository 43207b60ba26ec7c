import { InitialSchema1798000000001 } from './0001-initial-schema';
import { RoutesAndTargetEvents1798000000002 } from './0002-routes-and-target-events';
import { RefreshTokens1798000000003 } from './0003-refresh-tokens';
import { GatewayKeyLimits1798000000005 } from './0005-gateway-key-limits';
import { GatewayKeyLifecycle1798000000004 } from './0004-gateway-key-lifecycle';
import { TeamsRolesAudit1798000000006 } from './0006-teams-roles-audit';
import { SpendAndUserLimits1798000000007 } from './0007-spend-and-user-limits';
import { ChannelSecretHint1798000000008 } from './0008-channel-secret-hint';
import { UserSsoIdentity1798000000009 } from './0009-user-sso-identity';
import { RefreshTokenSessionStart1798000000010 } from './0010-refresh-token-session-start';
import { RequestLogTeamAndCache1798000000011 } from './0011-request-log-team-and-cache';
import { UsageRollupsAndModelPrices1798000000012 } from './0012-usage-rollups-and-model-prices';
import { LogSearchAndBodies1798000000013 } from './0013-log-search-and-bodies';
import { Alerts1798000000014 } from './0014-alerts';
import { RequestLogIngressFormat1798000000015 } from './0015-request-log-ingress-format';
import { DifyConversations1798000000016 } from './0016-dify-conversations';
import { RequestLogHeaders1798000000017 } from './0017-request-log-headers';
import { RequestLogPartialOwnerIndexes1798000000018 } from './0018-request-log-partial-owner-indexes';
import { RequestLogLongCalls1798000000019 } from './0019-request-log-long-calls';
import { ModelPriceUnits1798000000020 } from './0020-model-price-units';
import { RequestLogAudioSeconds1798000000021 } from './0021-request-log-audio-seconds';

/** Every migration in order; applied automatically at start. */
export const MIGRATIONS = [
  InitialSchema1798000000001,
  RoutesAndTargetEvents1798000000002,
  RefreshTokens1798000000003,
  GatewayKeyLifecycle1798000000004,
  GatewayKeyLimits1798000000005,
  TeamsRolesAudit1798000000006,
  SpendAndUserLimits1798000000007,
  ChannelSecretHint1798000000008,
  UserSsoIdentity1798000000009,
  RefreshTokenSessionStart1798000000010,
  RequestLogTeamAndCache1798000000011,
  UsageRollupsAndModelPrices1798000000012,
  LogSearchAndBodies1798000000013,
  Alerts1798000000014,
  RequestLogIngressFormat1798000000015,
  DifyConversations1798000000016,
  RequestLogHeaders1798000000017,
  RequestLogPartialOwnerIndexes1798000000018,
  RequestLogLongCalls1798000000019,
  ModelPriceUnits1798000000020,
  RequestLogAudioSeconds1798000000021,
];
