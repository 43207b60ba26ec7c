import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize } from '@synapse/gateway/auth';
import { Action } from '@synapse/rbac';
import { AlertRulesService } from './alert-rules.service';
import { AlertEventsArgs, NotificationDeliveriesArgs } from './dto/alert-history.args';
import { CreateAlertRuleInput } from './dto/create-alert-rule.input';
import { UpdateAlertRuleInput } from './dto/update-alert-rule.input';
import { AlertEventView } from './models/alert-event.model';
import { AlertRule } from './models/alert-rule.model';
import { AlertStateView } from './models/alert-state.model';
import { NotificationDeliveryView } from './models/notification-delivery.model';

@Resolver(() => AlertRule)
export class AlertRulesResolver {
  constructor(private readonly service: AlertRulesService) {}

  @Query(() => [AlertRule], { description: 'The alert rules (config file and admin API), by name.' })
  @Authorize(Action.Read, 'Alert')
  alertRules(): Promise<AlertRule[]> {
    return this.service.list();
  }

  @Query(() => AlertRule, { description: 'One alert rule; NOT_FOUND for an unknown id.' })
  @Authorize(Action.Read, 'Alert')
  alertRule(@Args('id', { type: () => ID }) id: string): Promise<AlertRule> {
    return this.service.get(id);
  }

  @Query(() => [AlertStateView], { description: 'The current state of every rule evaluated so far.' })
  @Authorize(Action.Read, 'Alert')
  alertStates(): Promise<AlertStateView[]> {
    return this.service.currentStates();
  }

  @Query(() => [AlertEventView], { description: 'Alert history, newest first.' })
  @Authorize(Action.Read, 'Alert')
  alertEvents(@Args() args: AlertEventsArgs): Promise<AlertEventView[]> {
    return this.service.events(args);
  }

  @Query(() => [NotificationDeliveryView], {
    description: "Notifications sent, newest first, with each receiver's answer.",
  })
  @Authorize(Action.Read, 'Alert')
  notificationDeliveries(@Args() args: NotificationDeliveriesArgs): Promise<NotificationDeliveryView[]> {
    return this.service.deliveryHistory(args);
  }

  @Mutation(() => AlertRule, { description: 'Creates an alert rule, checked like the config file.' })
  @Authorize(Action.Create, 'Alert')
  createAlertRule(@Args('input') input: CreateAlertRuleInput): Promise<AlertRule> {
    return this.service.create(input);
  }

  @Mutation(() => AlertRule, { description: 'Changes an alert rule; fields left out stay.' })
  @Authorize(Action.Update, 'Alert')
  updateAlertRule(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateAlertRuleInput,
  ): Promise<AlertRule> {
    return this.service.update(id, input);
  }

  @Mutation(() => Boolean, { description: 'Deletes an alert rule and its state; its history stays.' })
  @Authorize(Action.Delete, 'Alert')
  deleteAlertRule(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.service.delete(id);
  }
}
