import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import { ApolloTestingController } from 'apollo-angular/testing';
import { GraphQLError } from 'graphql';
import { signInAs } from '../../core/testing/sign-in-as';
import { KEYS_TRANSLATIONS } from '../keys/keys.i18n';
import { allByTestId, byTestId, configureAreaTest, hasTestId, settle, typeInto } from '../keys/testing/area-testing';
import {
  CREATE_NOTIFICATION_CHANNEL,
  DELETE_NOTIFICATION_CHANNEL,
  NOTIFICATION_CHANNELS,
  TEST_NOTIFICATION_CHANNEL,
  UPDATE_NOTIFICATION_CHANNEL,
  type NotificationChannel,
} from './alerts.graphql';
import { ALERTS_TRANSLATIONS } from './alerts.i18n';
import { NotificationChannelsPage } from './notification-channels-page';

function channel(overrides: Partial<NotificationChannel> = {}): NotificationChannel {
  return {
    __typename: 'NotificationChannel',
    id: 'n1',
    name: 'ops-slack',
    kind: 'SLACK',
    enabled: true,
    secretHint: 'hooks.slack.com …XXXX',
    signed: false,
    smtp: null,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    ...overrides,
  } as NotificationChannel;
}

const mail = channel({
  id: 'n2',
  name: 'ops-mail',
  kind: 'EMAIL',
  secretHint: '…word',
  smtp: {
    __typename: 'SmtpSettings',
    host: 'smtp.example.com',
    port: 587,
    secure: false,
    user: 'alerts@example.com',
    from: 'alerts@example.com',
    to: ['oncall@example.com'],
  } as NotificationChannel['smtp'],
});

const delivery = {
  __typename: 'NotificationDelivery',
  id: 'd1',
  alertEventId: null,
  ruleId: null,
  channelId: 'n1',
  at: '2026-12-04T10:00:00Z',
  attempts: 1,
  response: null,
  error: null,
};

describe(NotificationChannelsPage.name, () => {
  let fixture: ComponentFixture<NotificationChannelsPage>;
  let controller: ApolloTestingController;
  let page: HTMLElement;

  const render = async () => {
    fixture = TestBed.createComponent(NotificationChannelsPage);
    page = fixture.nativeElement as HTMLElement;
    await settle(fixture);
  };
  const answer = async (channels: NotificationChannel[]) => {
    controller.expectOne(NOTIFICATION_CHANNELS).flush({ data: { notificationChannels: channels } });
    await settle(fixture);
  };
  const click = async (id: string, root: ParentNode = page) => {
    byTestId(id, root).click();
    await settle(fixture);
  };
  const type = async (id: string, value: string) => {
    typeInto(id, value, page);
    await settle(fixture);
  };
  const fieldErrors = () => Array.from(page.querySelectorAll('mat-error')).map((e) => e.textContent?.trim());

  beforeEach(() => {
    configureAreaTest(NotificationChannelsPage, ALERTS_TRANSLATIONS, KEYS_TRANSLATIONS);
    controller = TestBed.inject(ApolloTestingController);
  });

  afterEach(() => {
    TestBed.inject(MatDialog).closeAll();
    controller.verify();
  });

  describe('as an operator', () => {
    beforeEach(async () => {
      signInAs('operator');
      await render();
    });

    it('lists the channels with their hint, never a secret', async () => {
      await answer([channel(), mail]);
      const rows = allByTestId('notifications-row', page);
      expect(rows).toHaveLength(2);
      expect(rows[0].textContent).toContain('Slack');
      expect(rows[0].textContent).toContain('hooks.slack.com …XXXX');
      expect(rows[1].textContent).toContain('Email (SMTP)');
      expect(rows[1].textContent).toContain('smtp.example.com:587 → oncall@example.com');
      expect(allByTestId('notifications-test', page)).toHaveLength(2);
    });

    it('shows a loading state, an empty state and a GraphQL error', async () => {
      expect(page.querySelector('mat-progress-bar')).not.toBeNull();
      await answer([]);
      expect(byTestId('notifications-empty', page).textContent).toContain('No notification channels yet.');
      page.querySelector<HTMLButtonElement>('button[aria-label="Refresh"]')?.click();
      await settle(fixture);
      controller
        .expectOne(NOTIFICATION_CHANNELS)
        .graphqlErrors([
          new GraphQLError('You may not read NotificationChannel', { extensions: { code: 'FORBIDDEN' } }),
        ]);
      await settle(fixture);
      expect(byTestId('notifications-error', page).textContent).toContain(
        'You may not read NotificationChannel (FORBIDDEN)',
      );
    });

    describe('the form follows the kind', () => {
      beforeEach(async () => {
        await answer([]);
        await click('notifications-new');
      });

      it('webhook: a required http(s) URL and an optional secret', async () => {
        expect(hasTestId('notifications-field-secret', page)).toBe(true);
        expect(hasTestId('notifications-field-host', page)).toBe(false);
        await type('notifications-field-name', 'ops hook');
        await click('notifications-save');
        expect(fieldErrors()).toEqual(['Use 1-64 letters, digits, dots, dashes or underscores.', 'Required.']);
        await type('notifications-field-webhookUrl', 'ftp://ops.example.com/x');
        await click('notifications-save');
        expect(fieldErrors()).toContain('Enter an http:// or https:// URL.');
        await type('notifications-field-webhookUrl', 'not a url');
        await click('notifications-save');
        expect(fieldErrors()).toContain('Enter an http:// or https:// URL.');
        controller.expectNone(CREATE_NOTIFICATION_CHANNEL);

        await type('notifications-field-name', 'ops-hook');
        await type('notifications-field-webhookUrl', 'https://ops.example.com/synapse');
        await type('notifications-field-secret', 's3cret');
        await click('notifications-save');
        const op = controller.expectOne(CREATE_NOTIFICATION_CHANNEL);
        expect(op.operation.variables).toEqual({
          input: {
            name: 'ops-hook',
            kind: 'WEBHOOK',
            enabled: true,
            webhookUrl: 'https://ops.example.com/synapse',
            secret: 's3cret',
          },
        });
        op.flush({ data: { createNotificationChannel: channel({ id: 'n3', name: 'ops-hook', kind: 'WEBHOOK' }) } });
        await settle(fixture);
        expect(allByTestId('notifications-row', page)).toHaveLength(1);
        expect(page.textContent).not.toContain('s3cret');
      });

      it.each([
        ['SLACK', 'https://hooks.slack.com/services/T000/B000/XXXX', false],
        ['WECOM', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc', false],
        ['DINGTALK', 'https://oapi.dingtalk.com/robot/send?access_token=abc', true],
        ['FEISHU', 'https://open.feishu.cn/open-apis/bot/v2/hook/abc', true],
      ] as const)('%s: the robot URL, with a secret only where it signs', async (kind, url, signed) => {
        await type('notifications-field-kind', kind);
        expect(hasTestId('notifications-field-secret', page)).toBe(signed);
        await type('notifications-field-name', 'robot');
        await type('notifications-field-webhookUrl', 'hooks.example.com/no-scheme');
        await click('notifications-save');
        expect(fieldErrors()).toEqual(['Enter an http:// or https:// URL.']);
        controller.expectNone(CREATE_NOTIFICATION_CHANNEL);
        await type('notifications-field-webhookUrl', url);
        if (signed) await type('notifications-field-secret', 'SEC123');
        await click('notifications-save');
        expect(controller.expectOne(CREATE_NOTIFICATION_CHANNEL).operation.variables).toEqual({
          input: { name: 'robot', kind, enabled: true, webhookUrl: url, ...(signed ? { secret: 'SEC123' } : {}) },
        });
      });

      it('email: SMTP settings checked field by field', async () => {
        await type('notifications-field-kind', 'EMAIL');
        expect(hasTestId('notifications-field-webhookUrl', page)).toBe(false);
        expect(hasTestId('notifications-field-secret', page)).toBe(false);
        await type('notifications-field-name', 'ops-mail');
        await type('notifications-field-port', '70000');
        await type('notifications-field-from', 'alerts');
        await type('notifications-field-to', 'oncall@example.com, nobody');
        await click('notifications-save');
        expect(fieldErrors()).toEqual([
          'Required.',
          'Enter a port from 1 to 65535.',
          'Enter an email address.',
          '“nobody” is not an email address.',
        ]);
        controller.expectNone(CREATE_NOTIFICATION_CHANNEL);

        await type('notifications-field-host', 'smtp.example.com');
        await type('notifications-field-port', '465');
        byTestId('notifications-field-secure', page).querySelector('button')?.click();
        await type('notifications-field-user', 'alerts@example.com');
        await type('notifications-field-password', 'pw');
        await type('notifications-field-from', 'alerts@example.com');
        await type('notifications-field-to', 'oncall@example.com, ops@example.com');
        await click('notifications-save');
        expect(controller.expectOne(CREATE_NOTIFICATION_CHANNEL).operation.variables).toEqual({
          input: {
            name: 'ops-mail',
            kind: 'EMAIL',
            enabled: true,
            smtp: {
              host: 'smtp.example.com',
              port: 465,
              secure: true,
              user: 'alerts@example.com',
              password: 'pw',
              from: 'alerts@example.com',
              to: ['oncall@example.com', 'ops@example.com'],
            },
          },
        });
      });

      it('shows the API refusal next to the form', async () => {
        await type('notifications-field-name', 'meta');
        await type('notifications-field-webhookUrl', 'http://169.254.169.254/');
        await click('notifications-save');
        controller.expectOne(CREATE_NOTIFICATION_CHANNEL).graphqlErrors([
          new GraphQLError('webhookUrl: the egress policy refuses 169.254.169.254', {
            extensions: { code: 'BAD_USER_INPUT' },
          }),
        ]);
        await settle(fixture);
        expect(byTestId('notifications-error', page).textContent).toContain(
          'webhookUrl: the egress policy refuses 169.254.169.254 (BAD_USER_INPUT)',
        );
      });
    });

    it('edits a channel: empty secrets keep the stored ones', async () => {
      await answer([channel({ kind: 'DINGTALK', name: 'ops-ding', signed: true })]);
      await click('notifications-edit');
      expect(byTestId<HTMLInputElement>('notifications-field-webhookUrl', page).value).toBe('');
      expect(byTestId<HTMLSelectElement>('notifications-field-kind', page).disabled).toBe(true);
      expect(page.textContent).toContain('Stored: hooks.slack.com …XXXX. Leave empty to keep it.');
      await type('notifications-field-name', 'ops-ding-2');
      await click('notifications-save');
      const op = controller.expectOne(UPDATE_NOTIFICATION_CHANNEL);
      expect(op.operation.variables).toEqual({ id: 'n1', input: { name: 'ops-ding-2', enabled: true } });
      op.flush({
        data: { updateNotificationChannel: channel({ kind: 'DINGTALK', name: 'ops-ding-2', signed: true }) },
      });
      await settle(fixture);

      await click('notifications-edit');
      byTestId('notifications-field-clearSecret', page).querySelector('input')?.click();
      await type('notifications-field-webhookUrl', 'https://oapi.dingtalk.com/robot/send?access_token=new');
      await click('notifications-save');
      expect(controller.expectOne(UPDATE_NOTIFICATION_CHANNEL).operation.variables).toEqual({
        id: 'n1',
        input: {
          name: 'ops-ding-2',
          enabled: true,
          webhookUrl: 'https://oapi.dingtalk.com/robot/send?access_token=new',
          secret: null,
        },
      });
    });

    it('edits an email channel: the SMTP settings whole, the password only when typed', async () => {
      await answer([mail]);
      await click('notifications-edit');
      expect(byTestId<HTMLInputElement>('notifications-field-host', page).value).toBe('smtp.example.com');
      expect(byTestId<HTMLInputElement>('notifications-field-password', page).value).toBe('');
      await type('notifications-field-to', 'oncall@example.com; boss@example.com');
      await click('notifications-save');
      expect(controller.expectOne(UPDATE_NOTIFICATION_CHANNEL).operation.variables).toEqual({
        id: 'n2',
        input: {
          name: 'ops-mail',
          enabled: true,
          smtp: {
            host: 'smtp.example.com',
            port: 587,
            secure: false,
            user: 'alerts@example.com',
            from: 'alerts@example.com',
            to: ['oncall@example.com', 'boss@example.com'],
          },
        },
      });
    });

    it('sends a test and shows what the receiver answered', async () => {
      await answer([channel()]);
      await click('notifications-test');
      const op = controller.expectOne(TEST_NOTIFICATION_CHANNEL);
      expect(op.operation.variables).toEqual({ id: 'n1' });
      expect(byTestId('notifications-test-result', page).textContent).toContain('Sending…');
      op.flush({ data: { testNotificationChannel: { ...delivery, ok: true, statusCode: 200, response: 'ok' } } });
      await settle(fixture);
      const result = byTestId('notifications-test-result', page).textContent;
      expect(result).toContain('ops-slack');
      expect(result).toContain('Test delivered: HTTP/SMTP 200, 1 attempt(s).');
      expect(result).toContain('Answer: ok');
    });

    it('shows a failed test with the receiver’s error', async () => {
      await answer([channel({ kind: 'DINGTALK' })]);
      await click('notifications-test');
      controller.expectOne(TEST_NOTIFICATION_CHANNEL).flush({
        data: {
          testNotificationChannel: {
            ...delivery,
            ok: false,
            attempts: 1,
            statusCode: 200,
            response: '{"errcode":310000,"errmsg":"sign not match"}',
            error: 'DingTalk refused the message: 310000 sign not match',
          },
        },
      });
      await settle(fixture);
      const result = byTestId('notifications-test-result', page).textContent;
      expect(result).toContain('Test failed (1 attempt(s)): DingTalk refused the message: 310000 sign not match');
      expect(result).toContain('sign not match');
    });

    it('shows the error of a test the API refused', async () => {
      await answer([channel()]);
      await click('notifications-test');
      controller
        .expectOne(TEST_NOTIFICATION_CHANNEL)
        .graphqlErrors([new GraphQLError('No notification channel n1', { extensions: { code: 'NOT_FOUND' } })]);
      await settle(fixture);
      expect(byTestId('notifications-test-result', page).textContent).toContain(
        'No notification channel n1 (NOT_FOUND)',
      );
    });

    it('deletes a channel after confirmation, and shows a refusal', async () => {
      await answer([channel()]);
      await click('notifications-delete');
      await click('notifications-delete-confirm', document);
      const op = controller.expectOne(DELETE_NOTIFICATION_CHANNEL);
      expect(op.operation.variables).toEqual({ id: 'n1' });
      op.graphqlErrors([
        new GraphQLError('The rule errors-gpt-4o notifies ops-slack', { extensions: { code: 'CONFLICT' } }),
      ]);
      await settle(fixture);
      expect(byTestId('notifications-error', page).textContent).toContain('(CONFLICT)');
      expect(allByTestId('notifications-row', page)).toHaveLength(1);
    });
  });

  it('shows an auditor the channels without new, test, edit or delete', async () => {
    signInAs('auditor');
    await render();
    await answer([channel()]);
    expect(allByTestId('notifications-row', page)).toHaveLength(1);
    for (const id of ['notifications-new', 'notifications-test', 'notifications-edit', 'notifications-delete']) {
      expect(hasTestId(id, page)).toBe(false);
    }
  });
});
