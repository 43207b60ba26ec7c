import type { RetryPolicy } from '../retry/retry-policy';
import type { StrategyName } from '../strategies/strategy-name';

export interface TargetDefinition {
  channelId: string;
  /** The upstream model name; '*' forwards the public model name the caller asked for (for pattern routes). */
  model: string;
  /** Share of traffic under the weighted and priority strategies. Default 1; must be > 0. */
  weight?: number;
  /** Read by the priority strategy only: HIGHER numbers are tried first. Default 0. */
  priority?: number;
  /** Requests per minute this replica sends to the target at most. */
  rpm?: number;
  /** Tokens per minute, enforced when the planner is given a token window that the gateway feeds. */
  tpm?: number;
}

export interface RouteDefinition {
  /** An exact public model name, or a pattern with '*' such as 'gpt-4o*'. */
  name: string;
  /** Default round-robin. */
  strategy?: StrategyName;
  targets: TargetDefinition[];
  /** Names of other routes, tried in order (depth-first) when this route has no target left. */
  fallbacks?: string[];
  retry?: RetryPolicy;
  /** Extra exact public names for this route, e.g. 'fast'. */
  aliases?: string[];
}
