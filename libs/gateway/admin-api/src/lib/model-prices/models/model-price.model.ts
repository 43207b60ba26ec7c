import { Field, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import { PriceFields } from './price.fields';

@ObjectType({
  description:
    'A model price from one of the three tables: USD per million tokens, and per call, audio minute or million characters where set.',
})
export class ModelPrice extends PriceFields {
  @Field({ description: 'A model name, or a glob with * (gpt-4o*).' })
  model!: string;

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
