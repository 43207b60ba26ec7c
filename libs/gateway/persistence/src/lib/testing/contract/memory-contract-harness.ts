import { InMemoryAlertRuleRepository } from '../memory/in-memory-alert-rule.repository';
import { InMemoryAlertStateRepository } from '../memory/in-memory-alert-state.repository';
import { InMemoryNotificationChannelRepository } from '../memory/in-memory-notification-channel.repository';
import { InMemoryNotificationDeliveryRepository } from '../memory/in-memory-notification-delivery.repository';
import { InMemoryAuditEventRepository } from '../memory/in-memory-audit-event.repository';
import { InMemoryModelPriceRepository } from '../memory/in-memory-model-price.repository';
import { InMemoryUsageRollupRepository } from '../memory/in-memory-usage-rollup.repository';
import { InMemoryChannelRepository } from '../memory/in-memory-channel.repository';
import { InMemoryGatewayKeyRepository } from '../memory/in-memory-gateway-key.repository';
import { InMemoryRefreshTokenRepository } from '../memory/in-memory-refresh-token.repository';
import { InMemoryRouteRepository } from '../memory/in-memory-route.repository';
import { InMemoryUserRepository } from '../memory/in-memory-user.repository';
import type { ContractHarness, SharedRepositories } from './contract-harness';

/** The in-memory test doubles, new ones for each contract case. */
export function memoryContractHarness(): ContractHarness<SharedRepositories> {
  let repos: SharedRepositories | undefined;
  return {
    open: async () => undefined,
    async empty() {
      const alertStates = new InMemoryAlertStateRepository();
      repos = {
        alertRules: new InMemoryAlertRuleRepository(alertStates),
        notificationChannels: new InMemoryNotificationChannelRepository(),
        alertStates,
        notificationDeliveries: new InMemoryNotificationDeliveryRepository(),
        channels: new InMemoryChannelRepository(),
        gatewayKeys: new InMemoryGatewayKeyRepository(),
        routes: new InMemoryRouteRepository(),
        users: new InMemoryUserRepository(),
        refreshTokens: new InMemoryRefreshTokenRepository(),
        auditEvents: new InMemoryAuditEventRepository(),
        modelPrices: new InMemoryModelPriceRepository(),
        usageRollups: new InMemoryUsageRollupRepository(),
      };
      return repos;
    },
    async replica() {
      if (!repos) throw new Error('the store is not open');
      return repos;
    },
    concurrentReplicas: true,
    close: async () => undefined,
  };
}
