import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({
  description:
    "One of the caller's request headers kept on the log row: a fixed list that names the client, SDK and API version (user-agent, x-stainless-*, anthropic-version, ...), never a credential.",
})
export class RequestLogHeader {
  @Field({ description: 'The header name, in lower case.' })
  name!: string;

  @Field({ description: 'Its value, cut at 256 characters; a value that looks like a secret reads [redacted].' })
  value!: string;
}
