import { GqlErrors } from '@synapse/gateway/auth';
import { formatIssues, routeSchema, type RouteConfig } from '@synapse/gateway/config';
import type { RouteInput } from './dto/route.input';

/**
 * Checks a route from the admin API with the config file's own schema, so that both say the same
 * thing about the same mistake (`targets[1].weight: must be positive`); defaults are filled in.
 */
export function parseRouteInput(input: RouteInput): RouteConfig {
  const parsed = routeSchema.safeParse(
    withoutNulls({
      name: input.name,
      strategy: input.strategy,
      targets: input.targets.map((target) => withoutNulls({ ...target })),
      fallbacks: input.fallbacks,
      aliases: input.aliases,
      retry: input.retry ? withoutNulls({ ...input.retry }) : undefined,
      captureBodies: input.captureBodies,
    }),
  );
  if (!parsed.success) throw GqlErrors.badUserInput(formatIssues(parsed.error.issues).join('; '));
  return parsed.data;
}

/** GraphQL sends null for a field given as null; the schema (like YAML) knows only "left out". */
function withoutNulls<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}
