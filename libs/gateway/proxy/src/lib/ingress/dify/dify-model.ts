import type { RouteTable } from '@synapse/routing';

/** The model Dify calls ask for when the key has no route of its own. */
export const DIFY_MODEL = 'dify';

/**
 * A Dify app request names no model: the gateway key decides. A route (or alias) named
 * `dify/<key name>` serves that key's Dify calls; other keys ask for the route `dify`. Both are
 * ordinary routes, so the config file and the admin API define them and the key's model list
 * applies as for any call (docs/dify.md#which-model-serves-a-key).
 */
export function difyModelFor(keyName: string, routes: RouteTable): string {
  const own = `${DIFY_MODEL}/${keyName}`;
  const route = routes.resolve(own);
  return route && (route.name === own || route.aliases.includes(own)) ? own : DIFY_MODEL;
}
