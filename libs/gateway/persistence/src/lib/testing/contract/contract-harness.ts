import type {
  AuditEventRepository,
  ChannelRepository,
  GatewayKeyRepository,
  RefreshTokenRepository,
  RequestLogRepository,
  RoleRepository,
  RouteRepository,
  TargetEventRepository,
  TargetOverrideRepository,
  TeamRepository,
  UserRepository,
} from '../../repositories';
import type { RequestBodyRepository } from '../../log-repositories';
import type { ModelPriceRepository, UsageRollupRepository } from '../../usage-repositories';
import type { RequestLogSignalRepository } from '../../alert-repositories';
import type { AlertRepositories } from './alert.contract';

/** The repositories that every store implements: the SQL stores and the in-memory test doubles. */
export interface SharedRepositories extends AlertRepositories {
  channels: ChannelRepository;
  gatewayKeys: GatewayKeyRepository;
  routes: RouteRepository;
  users: UserRepository;
  refreshTokens: RefreshTokenRepository;
  auditEvents: AuditEventRepository;
  modelPrices: ModelPriceRepository;
  usageRollups: UsageRollupRepository;
}

/** The repositories that only the SQL stores implement (specs use a SQLite file for these). */
export interface SqlRepositories extends SharedRepositories {
  requestLogSignals: RequestLogSignalRepository;
  teams: TeamRepository;
  roles: RoleRepository;
  requestLogs: RequestLogRepository;
  targetEvents: TargetEventRepository;
  targetOverrides: TargetOverrideRepository;
  requestBodies: RequestBodyRepository;
}

/** What log search, body capture and retention work on: the SQL stores and the in-memory doubles. */
export type LogRepositories = Pick<SqlRepositories, 'requestLogs' | 'requestBodies' | 'auditEvents'>;

/** One store under the contract suite. */
export interface ContractHarness<R> {
  /** Opens the store once for a suite. */
  open(): Promise<void>;
  /** Removes everything stored and returns the repositories: each contract case starts from an empty store. */
  empty(): Promise<R>;
  /** The same data through a second connection, as another replica sees it (the same objects in memory). */
  replica(): Promise<R>;
  /** Whether two replicas write at the same time; one SQLite file has one gateway, writing one at a time. */
  readonly concurrentReplicas: boolean;
  close(): Promise<void>;
}

/** What a contract case works on: an empty store, per case. */
export interface ContractStore<R> {
  /** The repositories of the store, emptied before each case. */
  readonly repos: R;
  replica(): Promise<R>;
  readonly concurrentReplicas: boolean;
}

/**
 * Opens the harness's store for the enclosing `describe` and empties it before each case, so that
 * no case depends on what another one left behind (or on the order they run in).
 */
export function useEmptyStore<R>(makeHarness: () => ContractHarness<R>): ContractStore<R> {
  const harness = makeHarness();
  let repos: R | undefined;
  beforeAll(() => harness.open());
  beforeEach(async () => {
    repos = await harness.empty();
  });
  afterAll(() => harness.close());
  return {
    get repos(): R {
      if (!repos) throw new Error('the store is opened for each contract case only');
      return repos;
    },
    replica: () => harness.replica(),
    get concurrentReplicas() {
      return harness.concurrentReplicas;
    },
  };
}
