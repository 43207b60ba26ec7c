import { Field, InputType } from '@nestjs/graphql';
import { SmtpSettingsInput } from './smtp-settings.input';

@InputType({
  description:
    'Changes to a notification channel; fields left out stay. A new webhookUrl on another origin must bring the signing secret again (or null).',
})
export class UpdateNotificationChannelInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Write-only.' })
  webhookUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'Write-only; null: no signature.' })
  secret?: string | null;

  @Field(() => SmtpSettingsInput, { nullable: true, description: 'Replaces the SMTP settings whole (EMAIL only).' })
  smtp?: SmtpSettingsInput | null;
}
