import { Injectable } from '@nestjs/common';
import { GqlErrors, type AuthenticatedUser } from '@synapse/gateway/auth';
import {
  UsageQueryError,
  UsageQueryService,
  usageReaderOf,
  type UsagePoint,
  type UsageSeriesRequest,
  type UsageTopEntry,
  type UsageTopRequest,
} from '@synapse/gateway/usage';
import type { AppAbility } from '@synapse/rbac';

/**
 * Usage for the admin API: the caller's ability decides what they read (everything, or their own
 * traffic), and the usage library's errors become GraphQL errors with codes.
 */
@Injectable()
export class UsageReportsService {
  constructor(private readonly usage: UsageQueryService) {}

  series(ability: AppAbility, user: AuthenticatedUser, request: UsageSeriesRequest): Promise<UsagePoint[]> {
    return asGraphql(() => this.usage.series(usageReaderOf(ability, user.id), request));
  }

  top(ability: AppAbility, user: AuthenticatedUser, request: UsageTopRequest): Promise<UsageTopEntry[]> {
    return asGraphql(() => this.usage.top(usageReaderOf(ability, user.id), request));
  }
}

async function asGraphql<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof UsageQueryError)) throw error;
    throw error.code === 'FORBIDDEN' ? GqlErrors.forbidden(error.message) : GqlErrors.badUserInput(error.message);
  }
}
