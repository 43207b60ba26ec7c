import { Field, Float, InputType } from '@nestjs/graphql';

@InputType({
  description: 'A runtime price, in force from now on every replica; calls already logged keep their cost.',
})
export class SetModelPriceInput {
  @Field({ description: "A model name or a glob with * ('gpt-4o*'); 1-200 characters." })
  model!: string;

  @Field(() => Float, {
    nullable: true,
    description: 'USD per million prompt tokens; null: 0 (give input and output, or one of the prices below).',
  })
  input?: number | null;

  @Field(() => Float, { nullable: true, description: 'USD per million completion tokens; null: 0.' })
  output?: number | null;

  @Field(() => Float, { nullable: true, description: 'USD per million cached prompt tokens; null: the input price.' })
  cachedInput?: number | null;

  @Field(() => Float, { nullable: true, description: 'USD per call an upstream accepted (per-request APIs).' })
  perCall?: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'USD per minute of audio, as the upstream reports it, else as the gateway measures it when the call reports no usage (whisper-1, gpt-4o-mini-tts).',
  })
  perMinute?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'USD per million characters of text to speech (tts-1).',
  })
  perMillionCharacters?: number | null;
}
