import { Field, Float, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import type { ChannelCheckView } from '@synapse/gateway/proxy';

@ObjectType({ description: 'The last scheduled health check of a channel.' })
export class ChannelCheck implements ChannelCheckView {
  @Field(() => DateTimeScalar)
  at!: Date;

  @Field()
  ok!: boolean;

  @Field(() => Float, { nullable: true })
  latencyMs!: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'A stable class such as upstream_timeout or status_503; null when ok.',
  })
  error!: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Why, in words an operator acts on: the upstream's TLS certificate, a forward proxy, a base URL that serves web pages, a refused key. Null when ok. Never holds a secret or the upstream's own text.",
  })
  detail!: string | null;
}
