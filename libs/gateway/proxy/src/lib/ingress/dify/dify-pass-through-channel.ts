import type { UpstreamTarget } from '@synapse/gateway/providers';
import type { CatalogSnapshot } from '../../catalog/catalog-snapshot';

/**
 * A route whose (enabled) targets are all `dify` channels serves Dify callers by passing their
 * calls through to a real Dify app; any other route is gateway-backed (docs/dify.md).
 * Returns the channel for calls without routing (history, files, stop), or undefined.
 */
export function difyPassThroughChannel(model: string, snapshot: CatalogSnapshot): UpstreamTarget | undefined {
  const route = snapshot.routes.resolve(model);
  if (!route) return undefined;
  const channels = route.targets
    .map((target) => snapshot.channels.get(target.channelId))
    .filter((channel): channel is UpstreamTarget => channel !== undefined);
  return channels.length > 0 && channels.every((channel) => channel.type === 'dify') ? channels[0] : undefined;
}
