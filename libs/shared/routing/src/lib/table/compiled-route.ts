import type { ResolvedRetryPolicy } from '../retry/retry-policy';
import { createStrategy } from '../strategies/create-strategy';
import type { TargetStrategy } from '../strategies/target-strategy';
import type { CompiledTarget } from './compiled-target';
import type { RouteDraft } from './route-draft';

/** A checked route with its strategy instance and its fallbacks linked; immutable apart from strategy state. */
export class CompiledRoute {
  readonly name: string;
  readonly aliases: readonly string[];
  /** Made for a channel's model rather than configured. */
  readonly implicit: boolean;
  readonly strategy: TargetStrategy;
  /** In declaration order. */
  readonly targets: readonly CompiledTarget[];
  readonly retry: ResolvedRetryPolicy;
  /** This route, then its fallbacks depth-first without repeats: the order in which a request walks routes. */
  readonly chain: readonly CompiledRoute[];

  constructor(
    draft: RouteDraft,
    /** Direct fallbacks, in configured order. */
    readonly fallbacks: readonly CompiledRoute[],
  ) {
    this.name = draft.name;
    this.aliases = draft.aliases;
    this.implicit = draft.implicit;
    this.strategy = createStrategy(draft.strategy);
    this.targets = draft.targets;
    this.retry = draft.retry;
    this.chain = fallbackChain(this);
  }
}

function fallbackChain(root: CompiledRoute): CompiledRoute[] {
  const chain = [root];
  const visit = (route: CompiledRoute): void => {
    for (const fallback of route.fallbacks) {
      if (chain.includes(fallback)) continue;
      chain.push(fallback);
      visit(fallback);
    }
  };
  visit(root);
  return chain;
}
