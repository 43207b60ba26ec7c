import { Field, InputType } from '@nestjs/graphql';
import { JSONObject } from '../../graphql/json-object.scalar';

@InputType()
export class PermissionRuleInput {
  @Field(() => [String])
  action!: string[];

  @Field(() => [String])
  subject!: string[];

  @Field(() => JSONObject, { nullable: true })
  conditions?: Record<string, unknown> | null;

  @Field(() => [String], { nullable: true })
  fields?: string[] | null;

  @Field(() => Boolean, { nullable: true })
  inverted?: boolean | null;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}
