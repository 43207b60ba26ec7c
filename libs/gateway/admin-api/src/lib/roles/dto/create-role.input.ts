import { Field, InputType } from '@nestjs/graphql';
import { PermissionRuleInput } from './permission-rule.input';

@InputType({ description: 'A custom role. It may grant only what the caller holds (no privilege escalation).' })
export class CreateRoleInput {
  @Field({ description: '2-32 lower-case letters, digits and dashes, starting with a letter; not a built-in name.' })
  name!: string;

  @Field({ defaultValue: '' })
  description!: string;

  @Field(() => [PermissionRuleInput])
  rules!: PermissionRuleInput[];
}
