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

@InputType({ description: 'A custom role. It may grant only what the caller holds (no privilege escalation).' })
export class CreateRoleInput {
  @Field({ description: '2-32 lower-case letters, digits and dashes, starting with a letter; not a built-in name.' })
  name!: string;

  @Field({ defaultValue: '' })
  description!: string;

  @Field(() => [PermissionRuleInput])
  rules!: PermissionRuleInput[];
}

@InputType({ description: 'What to change on a custom role; left-out fields stay as they are.' })
export class UpdateRoleInput {
  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [PermissionRuleInput], { nullable: true })
  rules?: PermissionRuleInput[] | null;
}
