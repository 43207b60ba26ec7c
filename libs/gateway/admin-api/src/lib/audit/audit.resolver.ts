import { Args, Query, Resolver } from '@nestjs/graphql';
import { AuditTrail } from '@synapse/gateway/audit';
import { Authorize, GqlErrors } from '@synapse/gateway/auth';
import type { AuditOutcome } from '@synapse/gateway/persistence';
import { Action } from '@synapse/rbac';
import { AuditFilterArgs } from './dto/audit-filter.args';
import { AuditEvent } from './models/audit-event.model';

const OUTCOMES: readonly AuditOutcome[] = ['succeeded', 'failed', 'denied'];
const ACTION_FILTER = /^[A-Za-z.]+\*?$/;

@Resolver(() => AuditEvent)
export class AuditResolver {
  constructor(private readonly trail: AuditTrail) {}

  @Query(() => [AuditEvent], { description: 'The audit trail, newest first (what was just recorded included).' })
  @Authorize(Action.Read, 'AuditEvent')
  auditEvents(@Args() filter: AuditFilterArgs): Promise<AuditEvent[]> {
    if (filter.outcome && !OUTCOMES.includes(filter.outcome as AuditOutcome)) {
      throw GqlErrors.badUserInput(`outcome: one of ${OUTCOMES.join(', ')}`);
    }
    if (filter.action && !ACTION_FILTER.test(filter.action)) {
      throw GqlErrors.badUserInput("action: letters and dots, optionally ending in '*'");
    }
    if (!Number.isInteger(filter.limit) || filter.limit < 1 || filter.limit > 1000) {
      throw GqlErrors.badUserInput('limit: between 1 and 1000');
    }
    return this.trail.find({
      actorId: filter.actorId ?? undefined,
      action: filter.action ?? undefined,
      outcome: (filter.outcome as AuditOutcome | null) ?? undefined,
      subject: filter.subject ?? undefined,
      since: filter.since ?? undefined,
      until: filter.until ?? undefined,
      limit: filter.limit,
    });
  }
}
