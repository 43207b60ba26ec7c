import { Field, InputType } from '@nestjs/graphql';
import type { ChannelType } from '@synapse/gateway/config';
import { ChannelTimeoutsInput } from '../models/channel-timeouts.model';
import { ChannelTypeEnum } from '../models/channel-type.enum';
import { ChannelHeaderInput } from './channel-header.input';

@InputType({ description: 'Changes to a channel; fields left out stay as they are.' })
export class UpdateChannelInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => ChannelTypeEnum, { nullable: true })
  type?: ChannelType | null;

  @Field(() => String, { nullable: true })
  baseUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Write-only. Left out: the key stays; a new value replaces it; null or "": the channel has no key.',
  })
  apiKey?: string | null;

  @Field(() => [String], { nullable: true })
  models?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => [ChannelHeaderInput], {
    nullable: true,
    description: 'Replaces every extra header (values included); null or []: none.',
  })
  headers?: ChannelHeaderInput[] | null;

  @Field(() => ChannelTimeoutsInput, {
    nullable: true,
    description: "Replaces the timeouts whole; null: the gateway's defaults.",
  })
  timeouts?: ChannelTimeoutsInput | null;
}
