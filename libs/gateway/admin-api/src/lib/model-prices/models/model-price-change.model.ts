import { Field, Float, ID, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';

@ObjectType({
  description:
    "One change of a model's runtime price; a deletion hands the model back to the config file or the defaults.",
})
export class ModelPriceChange {
  @Field(() => ID)
  id!: string;

  @Field()
  model!: string;

  @Field(() => Float)
  input!: number;

  @Field(() => Float)
  output!: number;

  @Field(() => Float, { nullable: true })
  cachedInput!: number | null;

  @Field(() => Float, { nullable: true, description: 'USD per call an upstream accepted; null: none.' })
  perCall!: number | null;

  @Field(() => Float, { nullable: true, description: 'USD per minute of audio (whisper-1); null: none.' })
  perMinute!: number | null;

  @Field(() => Float, { nullable: true, description: 'USD per million characters of text to speech; null: none.' })
  perMillionCharacters!: number | null;

  @Field(() => DateTimeScalar)
  effectiveFrom!: Date;

  @Field(() => String, { nullable: true })
  createdBy!: string | null;

  @Field()
  deleted!: boolean;
}
