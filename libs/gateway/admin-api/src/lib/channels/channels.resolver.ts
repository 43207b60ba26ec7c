import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Authorize } from '@synapse/gateway/auth';
import { Action } from '@synapse/rbac';
import { ChannelTestService } from './channel-test.service';
import { ChannelsService } from './channels.service';
import { CreateChannelInput } from './dto/create-channel.input';
import { UpdateChannelInput } from './dto/update-channel.input';
import { Channel } from './models/channel.model';
import { ChannelCheck } from '../routing/models/channel-check.model';

@Resolver(() => Channel)
export class ChannelsResolver {
  constructor(
    private readonly service: ChannelsService,
    private readonly testing: ChannelTestService,
  ) {}

  @Query(() => [Channel], { description: 'The upstream channels (config file and admin API), by name.' })
  @Authorize(Action.Read, 'Channel')
  channels(): Promise<Channel[]> {
    return this.service.list();
  }

  @Query(() => Channel, { description: 'One channel; NOT_FOUND for an unknown id.' })
  @Authorize(Action.Read, 'Channel')
  channel(@Args('id', { type: () => ID }) id: string): Promise<Channel> {
    return this.service.get(id);
  }

  @Mutation(() => Channel, {
    description: 'Creates a channel, checked like the config file; every replica uses it before this answers.',
  })
  @Authorize(Action.Create, 'Channel')
  createChannel(@Args('input') input: CreateChannelInput): Promise<Channel> {
    return this.service.create(input);
  }

  @Mutation(() => Channel, {
    description: 'Changes a channel; fields left out stay. The next request on every replica uses the change.',
  })
  @Authorize(Action.Update, 'Channel')
  updateChannel(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateChannelInput,
  ): Promise<Channel> {
    return this.service.update(id, input);
  }

  @Mutation(() => Boolean, { description: 'Deletes a channel that no route targets (CONFLICT otherwise).' })
  @Authorize(Action.Delete, 'Channel')
  deleteChannel(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.service.delete(id);
  }

  @Mutation(() => ChannelCheck, {
    description:
      "Tests an enabled channel now: the provider's cheap authenticated request (its health check) with the stored key; the verdict counts like a scheduled check. NOT_FOUND for an unknown id, BAD_USER_INPUT for a disabled channel.",
  })
  @Authorize(Action.Update, 'Channel')
  testChannel(@Args('id', { type: () => ID }) id: string): Promise<ChannelCheck> {
    return this.testing.test(id);
  }
}
