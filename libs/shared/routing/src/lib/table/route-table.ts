import { CompiledRoute } from './compiled-route';
import { checkFallbacks } from './fallback-graph';
import { RouteConfigError } from './route-config-error';
import type { RouteDefinition } from './route-definition';
import { draftRoute, type RouteDraft } from './route-draft';
import { RoutePattern } from './route-pattern';

export interface RouteTableOptions {
  /**
   * Routes the gateway makes for channel models that no configured route names. They only fill
   * gaps: a configured route, alias or pattern matching the same model always wins, and an implicit
   * route whose name a configured route already uses is dropped.
   */
  implicit?: readonly RouteDefinition[];
}

/** Exact names (and aliases) in a map, patterns most specific first. */
interface Layer {
  exact: Map<string, CompiledRoute>;
  patterns: { pattern: RoutePattern; route: CompiledRoute }[];
}

// Resolved names are cached; a full cache is emptied rather than managed (unknown names from
// callers cannot grow it without bound).
const RESOLVE_CACHE_LIMIT = 4096;

/** Compiled, validated routes; immutable: rebuild on configuration change and swap. */
export class RouteTable {
  private readonly resolved = new Map<string, CompiledRoute | null>();

  private constructor(
    private readonly ordered: readonly CompiledRoute[],
    private readonly byName: ReadonlyMap<string, CompiledRoute>,
    private readonly explicit: Layer,
    private readonly implicit: Layer,
    private readonly models: readonly string[],
  ) {}

  /** Throws RouteConfigError (naming the route and field) on any invalid definition. */
  static compile(routes: readonly RouteDefinition[], options: RouteTableOptions = {}): RouteTable {
    const configured = routes.map((definition, i) => draftRoute(definition, i, false));
    const configuredNames = claimNames(configured);
    const gapFillers = (options.implicit ?? [])
      .map((definition, i) => draftRoute(definition, i, true))
      .filter((draft) => !configuredNames.has(draft.name))
      .map((draft) => ({ ...draft, aliases: draft.aliases.filter((alias) => !configuredNames.has(alias)) }));
    claimNames(gapFillers);

    const drafts = new Map<string, RouteDraft>();
    for (const draft of [...configured, ...gapFillers]) drafts.set(draft.name, draft);
    checkFallbacks(drafts);

    const byName = new Map<string, CompiledRoute>();
    const link = (draft: RouteDraft): CompiledRoute => {
      let route = byName.get(draft.name);
      if (route === undefined) {
        // Fallback cycles were ruled out above, so this recursion ends.
        route = new CompiledRoute(
          draft,
          draft.fallbacks.map((name) => link(drafts.get(name) as RouteDraft)),
        );
        byName.set(draft.name, route);
      }
      return route;
    };
    const ordered = [...drafts.values()].map(link);

    const explicit = buildLayer(configured, byName);
    const implicit = buildLayer(gapFillers, byName);
    const models = new Set([...explicit.exact.keys(), ...implicit.exact.keys()]);
    return new RouteTable(ordered, byName, explicit, implicit, [...models].sort());
  }

  /**
   * The route serving a public model name: configured routes first (exact names and aliases, then
   * patterns, most specific first), then implicit routes in the same order.
   */
  resolve(publicModel: string): CompiledRoute | undefined {
    const cached = this.resolved.get(publicModel);
    if (cached !== undefined) return cached ?? undefined;
    const route = find(this.explicit, publicModel) ?? find(this.implicit, publicModel);
    if (this.resolved.size >= RESOLVE_CACHE_LIMIT) this.resolved.clear();
    this.resolved.set(publicModel, route ?? null);
    return route;
  }

  /** A route by its name (not alias), e.g. a fallback. */
  get(name: string): CompiledRoute | undefined {
    return this.byName.get(name);
  }

  /** Exact names and aliases, sorted: what /v1/models can list. Patterns are not listed. */
  publicModels(): readonly string[] {
    return this.models;
  }

  /** Configured routes in declaration order, then the implicit ones kept. */
  routes(): readonly CompiledRoute[] {
    return this.ordered;
  }

  /** Every target id in the table, e.g. for TargetHealth.retainOnly after a rebuild. */
  targetIds(): Set<string> {
    const ids = new Set<string>();
    for (const route of this.ordered) for (const target of route.targets) ids.add(target.id);
    return ids;
  }
}

/** Throws on a name or alias used twice within one layer; returns every name and alias. */
function claimNames(drafts: readonly RouteDraft[]): Set<string> {
  const owners = new Map<string, string>();
  for (const draft of drafts) {
    if (owners.has(draft.name)) throw new RouteConfigError(draft.path, 'duplicate route name');
    owners.set(draft.name, draft.name);
  }
  for (const draft of drafts) {
    for (const alias of draft.aliases) {
      const owner = owners.get(alias);
      if (owner !== undefined) {
        throw new RouteConfigError(
          `${draft.path}.aliases`,
          `'${alias}' is already a name or alias of route '${owner}'`,
        );
      }
      owners.set(alias, draft.name);
    }
  }
  return new Set(owners.keys());
}

function buildLayer(drafts: readonly RouteDraft[], byName: ReadonlyMap<string, CompiledRoute>): Layer {
  const layer: Layer = { exact: new Map(), patterns: [] };
  for (const draft of drafts) {
    const route = byName.get(draft.name) as CompiledRoute;
    if (RoutePattern.isPattern(draft.name)) layer.patterns.push({ pattern: new RoutePattern(draft.name), route });
    else layer.exact.set(draft.name, route);
    for (const alias of draft.aliases) layer.exact.set(alias, route);
  }
  layer.patterns.sort((a, b) => RoutePattern.bySpecificity(a.pattern, b.pattern));
  return layer;
}

function find(layer: Layer, model: string): CompiledRoute | undefined {
  const exact = layer.exact.get(model);
  if (exact !== undefined) return exact;
  for (const { pattern, route } of layer.patterns) if (pattern.matches(model)) return route;
  return undefined;
}
