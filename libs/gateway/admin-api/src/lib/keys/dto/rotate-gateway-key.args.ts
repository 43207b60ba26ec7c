import { ArgsType, Field, ID, Int } from '@nestjs/graphql';

export const MAX_GRACE_SECONDS = 7 * 24 * 3600;

@ArgsType()
export class RotateGatewayKeyArgs {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, {
    defaultValue: 3600,
    description: `How long the old secret keeps working, 0 to ${MAX_GRACE_SECONDS} (7 days).`,
  })
  graceSeconds!: number;
}
