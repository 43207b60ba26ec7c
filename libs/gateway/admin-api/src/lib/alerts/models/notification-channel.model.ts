import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../graphql/scalars/date-time.scalar';
import type { NotificationChannelKindName } from '@synapse/gateway/config';
import { NotificationChannelKindEnum } from './alert-enums';

@ObjectType({ description: 'SMTP settings of an email channel; the password is write-only.' })
export class SmtpSettings {
  @Field()
  host!: string;

  @Field(() => Int)
  port!: number;

  @Field({ description: 'TLS from the start (465); otherwise STARTTLS when offered.' })
  secure!: boolean;

  @Field(() => String, { nullable: true })
  user!: string | null;

  @Field()
  from!: string;

  @Field(() => [String])
  to!: string[];
}

@ObjectType('NotificationChannel', {
  description:
    'Where alerts are sent. The webhook URL (it carries the token of Slack, DingTalk and WeCom robots), the signing ' +
    'secret and the SMTP password are write-only: stored encrypted, shown only as a hint.',
})
export class NotificationChannelView {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => NotificationChannelKindEnum)
  kind!: NotificationChannelKindName;

  @Field()
  enabled!: boolean;

  @Field(() => String, {
    nullable: true,
    description: "The webhook URL's host and last four characters, or the SMTP password's last four.",
  })
  secretHint!: string | null;

  @Field({ description: 'Whether requests are signed (WEBHOOK, DINGTALK, FEISHU).' })
  signed!: boolean;

  @Field(() => SmtpSettings, { nullable: true })
  smtp!: SmtpSettings | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}
