import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize } from '@synapse/gateway/auth';
import { Action } from '@synapse/rbac';
import { CreateNotificationChannelInput } from './dto/create-notification-channel.input';
import { UpdateNotificationChannelInput } from './dto/update-notification-channel.input';
import { NotificationChannelView } from './models/notification-channel.model';
import { NotificationDeliveryView } from './models/notification-delivery.model';
import { NotificationChannelsService } from './notification-channels.service';

@Resolver(() => NotificationChannelView)
export class NotificationChannelsResolver {
  constructor(private readonly service: NotificationChannelsService) {}

  @Query(() => [NotificationChannelView], {
    description: 'Where alerts are sent, by name. Secrets show only as hints.',
  })
  @Authorize(Action.Read, 'NotificationChannel')
  notificationChannels(): Promise<NotificationChannelView[]> {
    return this.service.list();
  }

  @Query(() => NotificationChannelView, { description: 'One notification channel; NOT_FOUND for an unknown id.' })
  @Authorize(Action.Read, 'NotificationChannel')
  notificationChannel(@Args('id', { type: () => ID }) id: string): Promise<NotificationChannelView> {
    return this.service.get(id);
  }

  @Mutation(() => NotificationChannelView, {
    description: 'Creates a notification channel; its URL is checked against the egress policy.',
  })
  @Authorize(Action.Create, 'NotificationChannel')
  createNotificationChannel(@Args('input') input: CreateNotificationChannelInput): Promise<NotificationChannelView> {
    return this.service.create(input);
  }

  @Mutation(() => NotificationChannelView, { description: 'Changes a notification channel; fields left out stay.' })
  @Authorize(Action.Update, 'NotificationChannel')
  updateNotificationChannel(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateNotificationChannelInput,
  ): Promise<NotificationChannelView> {
    return this.service.update(id, input);
  }

  @Mutation(() => Boolean, {
    description: 'Deletes a notification channel that no alert rule notifies (CONFLICT otherwise).',
  })
  @Authorize(Action.Delete, 'NotificationChannel')
  deleteNotificationChannel(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.service.delete(id);
  }

  @Mutation(() => NotificationDeliveryView, {
    description:
      "Sends a test notification now and answers the delivery: ok, the receiver's status and answer, or the error.",
  })
  @Authorize(Action.Update, 'NotificationChannel')
  testNotificationChannel(@Args('id', { type: () => ID }) id: string): Promise<NotificationDeliveryView> {
    return this.service.test(id);
  }
}
