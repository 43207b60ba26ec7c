import { Field, InputType } from '@nestjs/graphql';
import { PermissionRuleInput } from './permission-rule.input';

@InputType({ description: 'What to change on a custom role; left-out fields stay as they are.' })
export class UpdateRoleInput {
  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [PermissionRuleInput], { nullable: true })
  rules?: PermissionRuleInput[] | null;
}
