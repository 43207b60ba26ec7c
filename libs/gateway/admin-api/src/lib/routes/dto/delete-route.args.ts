import { ArgsType, Field } from '@nestjs/graphql';
import { IsNotEmpty } from 'class-validator';

@ArgsType()
export class DeleteRouteArgs {
  @Field({ description: 'The route name (not an alias).' })
  @IsNotEmpty()
  name!: string;
}
