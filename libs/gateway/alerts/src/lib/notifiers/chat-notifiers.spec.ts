import { EgressPolicy } from '@synapse/gateway/config';
import { firingMessage } from '../testing/alert-message';
import { startHttpReceiver } from '../testing/http-receiver';
import { egressHttpPost } from './egress-http-post';
import { HttpDelivery } from './http-delivery';
import { SlackNotifier } from './slack.notifier';
import { WeComNotifier } from './wecom.notifier';

describe('Slack and WeCom notifiers', () => {
  const http = egressHttpPost(new EgressPolicy());
  afterAll(() => http.close());

  it(`${SlackNotifier.name} posts { text, blocks } to the incoming webhook`, async () => {
    const receiver = await startHttpReceiver(() => ({ status: 200, body: 'ok' }));
    try {
      const outcome = await new SlackNotifier(new HttpDelivery(http.post)).send(firingMessage({ event: 'resolved' }), {
        id: 'n',
        name: 'slack',
        kind: 'slack',
        webhookUrl: `${receiver.url}/services/T0/B0/x`,
      });
      expect(outcome).toMatchObject({ ok: true, response: 'ok' });
      const body = JSON.parse(receiver.requests[0].body);
      expect(body.text.split('\n')[0]).toBe('[RESOLVED] high-error-rate');
      expect(body.blocks[0]).toEqual({
        type: 'header',
        text: { type: 'plain_text', text: '[RESOLVED] high-error-rate' },
      });
      expect(body.blocks[1].text.text).toContain('Scope: model gpt-4o-mini');
    } finally {
      await receiver.close();
    }
  });

  it(`${WeComNotifier.name} posts a markdown message and reads the robot's errcode`, async () => {
    const receiver = await startHttpReceiver((request) =>
      new URL(request.url, 'http://robot').searchParams.get('key') === 'good'
        ? { status: 200, body: '{"errcode":0,"errmsg":"ok"}' }
        : { status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' },
    );
    try {
      const notifier = new WeComNotifier(new HttpDelivery(http.post));
      const target = (key: string) => ({
        id: 'n',
        name: 'wecom',
        kind: 'wecom' as const,
        webhookUrl: `${receiver.url}/cgi-bin/webhook/send?key=${key}`,
      });
      expect(await notifier.send(firingMessage(), target('good'))).toMatchObject({ ok: true });
      expect(await notifier.send(firingMessage(), target('bad'))).toMatchObject({
        ok: false,
        error: expect.stringContaining('93000'),
      });
      const body = JSON.parse(receiver.requests[0].body);
      expect(body).toEqual({
        msgtype: 'markdown',
        markdown: { content: expect.stringContaining('**[FIRING] high-error-rate**') },
      });
    } finally {
      await receiver.close();
    }
  });
});
