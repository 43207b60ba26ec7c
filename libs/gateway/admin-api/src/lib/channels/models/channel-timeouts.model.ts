import { Field, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description: "A channel's timeouts in milliseconds; null: the gateway's default (UPSTREAM_*_TIMEOUT_MS).",
})
export class ChannelTimeouts {
  @Field(() => Int, { nullable: true, description: 'To open a connection.' })
  connectMs!: number | null;

  @Field(() => Int, { nullable: true, description: 'To the first byte of the answer, and between bytes.' })
  firstByteMs!: number | null;

  @Field(() => Int, { nullable: true, description: 'For the whole call.' })
  totalMs!: number | null;
}

@InputType({ description: "A channel's timeouts in milliseconds (positive); leave a field out for the default." })
export class ChannelTimeoutsInput {
  @Field(() => Int, { nullable: true })
  connectMs?: number | null;

  @Field(() => Int, { nullable: true })
  firstByteMs?: number | null;

  @Field(() => Int, { nullable: true })
  totalMs?: number | null;
}
