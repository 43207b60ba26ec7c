import { Field, Float, ObjectType } from '@nestjs/graphql';

/** The figures of a price, in force or in the history. */
@ObjectType({ isAbstract: true })
export abstract class PriceFields {
  @Field(() => Float, { description: 'USD per million prompt tokens.' })
  input!: number;

  @Field(() => Float, { description: 'USD per million completion tokens.' })
  output!: number;

  @Field(() => Float, { nullable: true, description: 'Prompt tokens served from the cache; null: the input price.' })
  cachedInput!: number | null;

  @Field(() => Float, { nullable: true, description: 'USD per call an upstream accepted; null: none.' })
  perCall!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'USD per minute of audio (whisper-1; gpt-4o-mini-tts answered as audio); null: none.',
  })
  perMinute!: number | null;

  @Field(() => Float, { nullable: true, description: 'USD per million characters of text to speech; null: none.' })
  perMillionCharacters!: number | null;
}
