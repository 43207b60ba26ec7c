import { Field, Float, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';

@ObjectType({ description: 'A model price (USD per million tokens) from one of the three tables.' })
export class ModelPrice {
  @Field({ description: 'A model name, or a glob with * (gpt-4o*).' })
  model!: string;

  @Field(() => Float)
  input!: number;

  @Field(() => Float)
  output!: number;

  @Field(() => Float, { nullable: true, description: 'Prompt tokens served from the cache; null: the input price.' })
  cachedInput!: number | null;

  @Field({ description: 'runtime (set here), config (the config file) or default (built in: check them).' })
  source!: string;

  @Field({
    description:
      'False when a table before it (runtime > config > default) prices this name; a glob, when one has the same glob.',
  })
  active!: boolean;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Runtime prices: since when.' })
  effectiveFrom!: Date | null;

  @Field(() => String, { nullable: true, description: 'Runtime prices: who set it.' })
  createdBy!: string | null;
}
