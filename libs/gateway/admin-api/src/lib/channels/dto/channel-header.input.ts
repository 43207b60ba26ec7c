import { Field, InputType } from '@nestjs/graphql';

@InputType({ description: 'An extra header sent upstream with every request of the channel.' })
export class ChannelHeaderInput {
  @Field({ description: "An HTTP header name, such as 'x-team' or 'api-key'." })
  name!: string;

  @Field({ description: 'Write-only: reads show only the header name.' })
  value!: string;
}
