import { Injectable } from '@nestjs/common';
import { GqlErrors } from '@synapse/gateway/auth';
import { defaultTargetModel, type RouteConfig } from '@synapse/gateway/config';
import {
  ChannelRepository,
  RouteRepository,
  type Channel,
  type Route as StoredRoute,
  type RouteTargetRecord,
} from '@synapse/gateway/persistence';
import { RoutingAdmin } from '@synapse/gateway/proxy';
import { randomUUID } from 'node:crypto';
import { checkRouteTable } from './check-route-table';
import type { RouteInput } from './dto/route.input';
import type { Route } from './models/route.model';
import { parseRouteInput } from './parse-route-input';
import { toRouteView } from './route-view';
import { Serial } from '../common/serial';

/**
 * Routes read and changed at run time. A change is checked like the config file (same schema,
 * channels by name) and against the whole table before it is saved; then every replica reloads, this
 * one before the mutation answers.
 */
@Injectable()
export class RoutesService {
  private readonly serial = new Serial();

  constructor(
    private readonly routes: RouteRepository,
    private readonly channels: ChannelRepository,
    private readonly routing: RoutingAdmin,
  ) {}

  async list(): Promise<Route[]> {
    const [routes, channels] = await Promise.all([this.routes.findAll(), this.channels.findAll()]);
    const names = channelNames(channels);
    return routes.map((route) => toRouteView(route, names));
  }

  upsert(input: RouteInput): Promise<Route> {
    return this.serial.run(async () => {
      const config = parseRouteInput(input);
      const [routes, channels] = await Promise.all([this.routes.findAll(), this.channels.findAll()]);
      const existing = routes.find((route) => route.name === config.name);
      const now = new Date();
      const route: StoredRoute = {
        id: existing?.id ?? randomUUID(),
        name: config.name,
        strategy: config.strategy,
        targets: resolveTargets(config, channels),
        fallbacks: config.fallbacks,
        aliases: config.aliases,
        retry: config.retry ?? null,
        captureBodies: config.captureBodies,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      checkRouteTable(existing ? routes.map((r) => (r === existing ? route : r)) : [...routes, route]);
      await this.routes.save(route);
      await this.routing.catalogChanged();
      return toRouteView(route, channelNames(channels));
    });
  }

  delete(name: string): Promise<boolean> {
    return this.serial.run(async () => {
      const routes = await this.routes.findAll();
      if (!routes.some((route) => route.name === name)) throw notFound(name);
      const referrers = routes.filter((route) => route.fallbacks.includes(name)).map((route) => `'${route.name}'`);
      if (referrers.length) {
        throw GqlErrors.badUserInput(
          `Route '${name}' is a fallback of ${referrers.join(', ')}: take it out of their fallbacks first.`,
        );
      }
      if (!(await this.routes.delete(name))) throw notFound(name);
      await this.routing.catalogChanged();
      return true;
    });
  }
}

/** Channel names to ids, with the config applier's defaults for the upstream model. */
function resolveTargets(config: RouteConfig, channels: readonly Channel[]): RouteTargetRecord[] {
  const byName = new Map(channels.map((channel) => [channel.name, channel]));
  const unknown = config.targets.flatMap((target, i) =>
    byName.has(target.channel) ? [] : [`targets[${i}].channel: no channel '${target.channel}'`],
  );
  if (unknown.length) throw GqlErrors.badUserInput(unknown.join('; '));
  return config.targets.map((target) => ({
    channelId: (byName.get(target.channel) as Channel).id,
    model: defaultTargetModel(config.name, target.model),
    weight: target.weight,
    priority: target.priority,
    ...(target.rpm !== undefined && { rpm: target.rpm }),
    ...(target.tpm !== undefined && { tpm: target.tpm }),
  }));
}

function channelNames(channels: readonly Channel[]): Map<string, string> {
  return new Map(channels.map((channel) => [channel.id, channel.name]));
}

function notFound(name: string) {
  return GqlErrors.notFound(`No route is named '${name}'.`);
}
