import { Injectable } from '@nestjs/common';
import { GqlErrors } from '@synapse/gateway/auth';
import { RoutingAdmin, type TargetEventView, type TargetStatusView } from '@synapse/gateway/proxy';

/** What the admin API reads and changes of routing, through the RoutingAdmin contract. */
@Injectable()
export class RoutingTargetsService {
  constructor(private readonly routing: RoutingAdmin) {}

  targets(): TargetStatusView[] {
    return this.routing.targets();
  }

  events(limit: number): Promise<TargetEventView[]> {
    return this.routing.events(limit);
  }

  async setDisabled(id: string, disabled: boolean): Promise<TargetStatusView> {
    if (!this.routing.targets().some((target) => target.id === id)) {
      throw GqlErrors.notFound(`No routing target has the id '${id}'.`);
    }
    return this.routing.setTargetDisabled(id, disabled);
  }
}
