import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description:
    'The bodies of a call whose key or route captures them (captureBodies), with secrets redacted and each body capped.',
})
export class RequestLogBody {
  @Field(() => String, { nullable: true, description: "The caller's JSON body as received." })
  request!: string | null;

  @Field(() => String, { nullable: true, description: "The upstream's answer; for streams the assembled text." })
  response!: string | null;

  @Field({ description: 'Whether either body was cut at BODY_CAPTURE_MAX_BYTES.' })
  truncated!: boolean;

  @Field()
  requestTruncated!: boolean;

  @Field()
  responseTruncated!: boolean;
}
