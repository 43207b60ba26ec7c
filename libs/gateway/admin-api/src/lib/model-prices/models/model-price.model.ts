import { Field, Float, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';

@ObjectType({
  description:
    'A model price from one of the three tables: USD per million tokens, and per call, audio minute or million characters where set.',
})
export class ModelPrice {
  @Field({ description: 'A model name, or a glob with * (gpt-4o*).' })
  model!: string;

  @Field(() => Float)
  input!: number;

  @Field(() => Float)
  output!: number;

  @Field(() => Float, { nullable: true, description: 'Prompt tokens served from the cache; null: the input price.' })
  cachedInput!: number | null;

  @Field(() => Float, { nullable: true, description: 'USD per call an upstream accepted; null: none.' })
  perCall!: number | null;

  @Field(() => Float, { nullable: true, description: 'USD per minute of audio (whisper-1); null: none.' })
  perMinute!: number | null;

  @Field(() => Float, { nullable: true, description: 'USD per million characters of text to speech; null: none.' })
  perMillionCharacters!: number | null;

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
