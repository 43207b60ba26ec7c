import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import type { ChannelType } from '@synapse/gateway/config';
import { ChannelTimeouts } from './channel-timeouts.model';
import { ChannelTypeEnum } from './channel-type.enum';

@ObjectType({
  description:
    'An upstream deployment that routes send requests to. Its API key and header values are write-only: ' +
    'no read returns them.',
})
export class Channel {
  @Field(() => ID)
  id!: string;

  @Field({ description: '1-64 letters, digits, dots, dashes or underscores; unique. Routes name channels by it.' })
  name!: string;

  @Field(() => ChannelTypeEnum)
  type!: ChannelType;

  @Field({ description: "The API's base URL, e.g. https://api.openai.com/v1." })
  baseUrl!: string;

  @Field(() => String, {
    nullable: true,
    description: "The API key's last four characters ('…abcd'; '…' alone for a key under 12 characters); null: no key.",
  })
  apiKeyHint!: string | null;

  @Field(() => [String], { description: 'Model names this channel serves.' })
  models!: string[];

  @Field({ description: 'A disabled channel serves nothing.' })
  enabled!: boolean;

  @Field(() => [String], { description: 'Names of the extra headers sent upstream; their values are never shown.' })
  headerNames!: string[];

  @Field(() => ChannelTimeouts)
  timeouts!: ChannelTimeouts;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}
