import { ArgsType, Field } from '@nestjs/graphql';
import { IsNotEmpty } from 'class-validator';

@ArgsType()
export class SetRoutingTargetDisabledArgs {
  @Field({ description: 'The target id, `<channelId>/<model>`.' })
  @IsNotEmpty()
  id!: string;

  @Field({ description: 'true takes the target out of rotation on every replica; false puts it back.' })
  disabled!: boolean;
}
