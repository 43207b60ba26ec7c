import { Inject, Injectable } from '@nestjs/common';
import { AccessDirectory, GqlErrors, type AuthenticatedUser } from '@synapse/gateway/auth';
import {
  LiveMetricsDisabled,
  LiveMetricsService,
  MONITORING_OPTIONS,
  PushIterator,
  RequestLogTail,
  type LiveGroup,
  type MonitoringOptions,
} from '@synapse/gateway/monitoring';
import type { RequestLogEntry } from '@synapse/gateway/persistence';
import { isError, type LiveDimension } from '@synapse/metrics';
import { Action, asSubject, type AppAbility, type RecordSubjectName } from '@synapse/rbac';
import type { RequestLogTailFilter } from './dto/request-log-tail-filter.input';
import type { LiveMetricsWindow } from './models/live-metrics-window.enum';
import type { LiveMetrics } from './models/live-metrics.model';
import type { RequestLogRow } from '../request-logs/models/request-log.model';
import { checkedEndpoint } from '../request-logs/parse-request-log-filter';

/** The record field a group's value is, for roles that read only some usage (members: their own). */
const RECORD_FIELD: Partial<Record<LiveDimension, string>> = { user: 'userId', team: 'teamId' };

/**
 * Live metrics and the request log tail as a signed-in user may see them. A role that reads all
 * usage sees every group; a role that reads only some (a member: `userId` is theirs) may group by
 * USER or TEAM and sees the groups its rules allow; grouping by anything else would show other
 * people's traffic, so it is FORBIDDEN. The tail sends the entries the role may read. Subscriptions
 * check the account's role again at each interval and end when it no longer allows them.
 */
@Injectable()
export class LiveMonitoringService {
  constructor(
    private readonly live: LiveMetricsService,
    private readonly tail: RequestLogTail,
    private readonly directory: AccessDirectory,
    @Inject(MONITORING_OPTIONS) private readonly options: MonitoringOptions,
  ) {}

  async liveMetrics(window: LiveMetricsWindow, dimension: LiveDimension, ability: AppAbility): Promise<LiveMetrics> {
    const visible = visibleGroups(ability, dimension);
    let groups: LiveGroup[];
    try {
      groups = await this.live.read(dimension, window);
    } catch (error) {
      if (error instanceof LiveMetricsDisabled) throw GqlErrors.conflict(error.message);
      throw error;
    }
    return {
      at: new Date(),
      window,
      groupBy: dimension,
      rows: groups.filter((group) => visible(group.value)),
    };
  }

  /** `liveMetrics` now, then every LIVE_METRICS_PUSH_INTERVAL_MS until the subscriber leaves. */
  liveMetricsStream(
    window: LiveMetricsWindow,
    dimension: LiveDimension,
    ability: AppAbility,
    user: AuthenticatedUser,
  ): AsyncIterableIterator<LiveMetrics> {
    visibleGroups(ability, dimension); // FORBIDDEN before anything is sent
    let current = ability;
    let timer: NodeJS.Timeout | undefined;
    // One snapshot waiting at most: a slow subscriber gets the latest, not a backlog.
    const iterator = new PushIterator<LiveMetrics>(1, () => clearInterval(timer));
    const push = async () => {
      const refreshed = await this.recheck(user, 'Usage');
      if (!refreshed) return iterator.close();
      current = refreshed;
      try {
        iterator.push(await this.liveMetrics(window, dimension, current));
      } catch {
        iterator.close();
      }
    };
    timer = setInterval(() => void push(), this.options.pushIntervalMs);
    timer.unref();
    void push();
    return iterator;
  }

  /** Entries from now on that the role may read and `filter` matches. */
  requestLogTail(
    filter: RequestLogTailFilter | null | undefined,
    ability: AppAbility,
    user: AuthenticatedUser,
  ): AsyncIterableIterator<RequestLogRow> {
    let current = ability;
    // Checked before the subscription starts: a name no entry can have is a mistake, not a quiet tail.
    const matches = entryFilter(
      filter && { ...filter, endpoint: filter.endpoint == null ? null : checkedEndpoint(filter.endpoint) },
    );
    const iterator = this.tail.subscribe(
      (entry) => matches(entry) && current.can(Action.Read, asSubject('RequestLog', { ...entry })),
    );
    const timer = setInterval(() => {
      void this.recheck(user, 'RequestLog').then((refreshed) => {
        if (refreshed) current = refreshed;
        else iterator.close();
      });
    }, this.options.pushIntervalMs);
    timer.unref();
    const close = iterator.close.bind(iterator);
    iterator.close = () => {
      clearInterval(timer);
      close();
    };
    return mapIterator(iterator, toTailEntry);
  }

  /** The account's ability now, or null when it no longer exists or may no longer read `subject`. */
  private async recheck(user: AuthenticatedUser, subject: RecordSubjectName): Promise<AppAbility | null> {
    try {
      // Cached per user per directory snapshot: this costs a look-up until roles or teams change.
      const ability = (await this.directory.current()).abilityFor(user.id);
      return ability?.can(Action.Read, subject) ? ability : null;
    } catch {
      return null;
    }
  }
}

/** Which group values of a dimension the ability shows; throws FORBIDDEN when it shows none by design. */
function visibleGroups(ability: AppAbility, dimension: LiveDimension): (value: string) => boolean {
  const field = RECORD_FIELD[dimension];
  const readsAll = ability.can(Action.Read, asSubject('Usage', {}));
  if (!readsAll && !field) {
    throw GqlErrors.forbidden(
      `Your role reads only some usage (members: their own), so it may group live metrics by USER or TEAM, not by ${dimension.toUpperCase()}.`,
    );
  }
  if (!field) return () => true;
  return (value) => ability.can(Action.Read, asSubject('Usage', { [field]: value }));
}

function entryFilter(filter: RequestLogTailFilter | null | undefined): (entry: RequestLogEntry) => boolean {
  if (!filter) return () => true;
  const { model, channelId, routeName, endpoint, keyId, userId, teamId, errorsOnly } = filter;
  return (entry) =>
    (model == null || entry.requestedModel === model) &&
    (channelId == null || entry.channelId === channelId) &&
    (routeName == null || entry.routeName === routeName) &&
    (endpoint == null || entry.endpoint === endpoint) &&
    (keyId == null || entry.keyId === keyId) &&
    (userId == null || entry.userId === userId) &&
    (teamId == null || entry.teamId === teamId) &&
    (!errorsOnly || isError(entry.status));
}

/**
 * A copy, shaped as the request log search shows calls: the writer's entry stays the writer's. The
 * request headers stay out (they are screened for secrets only when written, after the tail sees them).
 */
function toTailEntry(entry: RequestLogEntry): RequestLogRow {
  const { requestHeaders: _notScreenedYet, ...row } = entry;
  return { ...row, teamId: entry.teamId ?? null, cachedTokens: entry.cachedTokens ?? null };
}

function mapIterator<T, U>(source: PushIterator<T>, map: (item: T) => U): AsyncIterableIterator<U> {
  return {
    next: async () => {
      const result = await source.next();
      return result.done ? result : { value: map(result.value), done: false };
    },
    return: async () => {
      source.close();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
