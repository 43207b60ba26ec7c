import { EgressPolicy } from '@synapse/gateway/config';
import { createHmac } from 'node:crypto';
import { firingMessage } from '../testing/alert-message';
import { startHttpReceiver } from '../testing/http-receiver';
import { egressHttpPost } from './egress-http-post';
import { FeishuNotifier, feishuSign } from './feishu.notifier';
import { HttpDelivery } from './http-delivery';

describe(FeishuNotifier.name, () => {
  const http = egressHttpPost(new EgressPolicy());
  afterAll(() => http.close());

  it('signs like the Feishu docs: Base64(HMAC-SHA256 keyed with "<s>\\n<secret>" over an empty message)', () => {
    // Vector from Python: b64encode(hmac.new(b'1700000000\ndemo-feishu-secret', b'', sha256).digest()).
    expect(feishuSign('demo-feishu-secret', '1700000000')).toBe('V3Wp8znUoP+7XezI+6p/Lp2Uyk2BLceZJJbP1KE87hk=');
  });

  it('posts a text message with timestamp and sign in the body that the bot accepts', async () => {
    const secret = 'feishu-secret-1';
    const receiver = await startHttpReceiver((request) => {
      // The bot's check, from Feishu's documentation: timestamp in seconds, within an hour.
      const body = JSON.parse(request.body);
      const expected = createHmac('sha256', `${body.timestamp}\n${secret}`).update('').digest('base64');
      const fresh = Math.abs(Date.now() / 1000 - Number(body.timestamp)) < 3_600;
      return body.sign === expected && fresh
        ? { status: 200, body: '{"code":0,"msg":"success"}' }
        : {
            status: 200,
            body: '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}',
          };
    });
    try {
      const notifier = new FeishuNotifier(new HttpDelivery(http.post));
      const target = {
        id: 'n',
        name: 'lark',
        kind: 'feishu' as const,
        webhookUrl: `${receiver.url}/open-apis/bot/v2/hook/abc`,
      };
      expect(await notifier.send(firingMessage(), { ...target, secret })).toMatchObject({ ok: true });
      expect(await notifier.send(firingMessage(), { ...target, secret: 'other' })).toMatchObject({
        ok: false,
        error: expect.stringContaining('19021'),
      });
      const body = JSON.parse(receiver.requests[0].body);
      expect(body.msg_type).toBe('text');
      expect(body.content.text).toContain('[FIRING] high-error-rate');
    } finally {
      await receiver.close();
    }
  });
});
