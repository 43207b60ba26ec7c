import { Field, Float, InputType } from '@nestjs/graphql';

@InputType({
  description: 'A runtime price, in force from now on every replica; calls already logged keep their cost.',
})
export class SetModelPriceInput {
  @Field({ description: "A model name or a glob with * ('gpt-4o*'); 1-200 characters." })
  model!: string;

  @Field(() => Float, { description: 'USD per million prompt tokens.' })
  input!: number;

  @Field(() => Float, { description: 'USD per million completion tokens.' })
  output!: number;

  @Field(() => Float, { nullable: true, description: 'USD per million cached prompt tokens; null: the input price.' })
  cachedInput?: number | null;
}
