import { Field, InputType } from '@nestjs/graphql';
import type { ChannelType } from '@synapse/gateway/config';
import { ChannelTimeoutsInput } from '../models/channel-timeouts.model';
import { ChannelTypeEnum } from '../models/channel-type.enum';
import { ChannelHeaderInput } from './channel-header.input';

@InputType({ description: 'A new channel, checked like a channel in the config file.' })
export class CreateChannelInput {
  @Field({ description: '1-64 letters, digits, dots, dashes or underscores; unique.' })
  name!: string;

  @Field(() => ChannelTypeEnum, { defaultValue: ChannelTypeEnum.OPENAI })
  type?: ChannelType;

  @Field({ description: 'An http(s) URL.' })
  baseUrl!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Write-only: stored encrypted, sent upstream as a bearer token; null or left out: no key.',
  })
  apiKey?: string | null;

  @Field(() => [String], { description: 'Model names this channel serves; at least one.' })
  models!: string[];

  @Field(() => Boolean, { defaultValue: true })
  enabled?: boolean;

  @Field(() => [ChannelHeaderInput], { nullable: true, description: 'Extra headers sent upstream.' })
  headers?: ChannelHeaderInput[] | null;

  @Field(() => ChannelTimeoutsInput, { nullable: true, description: "null or left out: the gateway's defaults." })
  timeouts?: ChannelTimeoutsInput | null;
}
