import type { Route as StoredRoute } from '@synapse/gateway/persistence';
import type { Route } from './models/route.model';

/** A stored route as the admin API shows it: channels named, absent optional fields as null. */
export function toRouteView(route: StoredRoute, channelNames: ReadonlyMap<string, string>): Route {
  return {
    name: route.name,
    strategy: route.strategy,
    aliases: route.aliases,
    fallbacks: route.fallbacks,
    captureBodies: route.captureBodies ?? false,
    retry: route.retry && {
      attempts: route.retry.attempts ?? null,
      retryOn: route.retry.retryOn ?? null,
      backoffMs: route.retry.backoffMs ?? null,
      maxBackoffMs: route.retry.maxBackoffMs ?? null,
      maxRetryAfterMs: route.retry.maxRetryAfterMs ?? null,
    },
    targets: route.targets.map((target) => ({
      channelId: target.channelId,
      channelName: channelNames.get(target.channelId) ?? null,
      model: target.model,
      weight: target.weight,
      priority: target.priority,
      rpm: target.rpm ?? null,
      tpm: target.tpm ?? null,
    })),
  };
}
