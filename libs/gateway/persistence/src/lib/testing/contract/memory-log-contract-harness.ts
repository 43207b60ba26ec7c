import { InMemoryAuditEventRepository } from '../memory/in-memory-audit-event.repository';
import { InMemoryRequestBodyRepository } from '../memory/in-memory-request-body.repository';
import { InMemoryRequestLogRepository } from '../memory/in-memory-request-log.repository';
import type { ContractHarness, LogRepositories } from './contract-harness';

/** The in-memory request log, bodies and audit trail, new ones for each contract case. */
export function memoryLogContractHarness(): ContractHarness<LogRepositories> {
  let repos: LogRepositories | undefined;
  return {
    open: async () => undefined,
    async empty() {
      repos = {
        requestLogs: new InMemoryRequestLogRepository(),
        requestBodies: new InMemoryRequestBodyRepository(),
        auditEvents: new InMemoryAuditEventRepository(),
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
