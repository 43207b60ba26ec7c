import { Field, InputType } from '@nestjs/graphql';
import type { NotificationChannelKindName } from '@synapse/gateway/config';
import { NotificationChannelKindEnum } from '../models/alert-enums';
import { SmtpSettingsInput } from './smtp-settings.input';

@InputType({ description: 'A new notification channel (docs/alerts.md has the setup of each service).' })
export class CreateNotificationChannelInput {
  @Field({ description: '1-64 letters, digits, dots, dashes or underscores; unique.' })
  name!: string;

  @Field(() => NotificationChannelKindEnum)
  kind!: NotificationChannelKindName;

  @Field(() => Boolean, { defaultValue: true })
  enabled?: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'Write-only http(s) URL for every kind but EMAIL (the robot URL with its token for SLACK, DINGTALK, FEISHU, WECOM).',
  })
  webhookUrl?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Write-only signing secret: WEBHOOK (HMAC), DINGTALK and FEISHU (their signature).',
  })
  secret?: string | null;

  @Field(() => SmtpSettingsInput, { nullable: true, description: 'EMAIL only.' })
  smtp?: SmtpSettingsInput | null;
}
