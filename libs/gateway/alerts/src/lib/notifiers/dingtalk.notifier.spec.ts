import { EgressPolicy } from '@synapse/gateway/config';
import { createHmac } from 'node:crypto';
import { firingMessage } from '../testing/alert-message';
import { startHttpReceiver } from '../testing/http-receiver';
import { DingTalkNotifier, dingtalkSign } from './dingtalk.notifier';
import { egressHttpPost } from './egress-http-post';
import { HttpDelivery } from './http-delivery';

describe(DingTalkNotifier.name, () => {
  const http = egressHttpPost(new EgressPolicy());
  afterAll(() => http.close());

  it('signs like the DingTalk docs: Base64(HMAC-SHA256(secret, "<ms>\\n<secret>")), URL-encoded in the query', () => {
    // Vector from Python: quote_plus(b64encode(hmac.new(b'secret', b'1700000000000\nsecret', sha256).digest())).
    expect(encodeURIComponent(dingtalkSign('secret', '1700000000000'))).toBe(
      'OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D',
    );
  });

  it('posts a markdown message to the robot URL with timestamp and sign the robot accepts', async () => {
    const secret = 'SEC0123456789abcdef';
    const receiver = await startHttpReceiver((request) => {
      // The robot's check, from DingTalk's documentation.
      const query = new URL(request.url, 'http://robot').searchParams;
      const timestamp = query.get('timestamp') ?? '';
      const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
      const fresh = Math.abs(Date.now() - Number(timestamp)) < 3_600_000;
      return query.get('sign') === expected && fresh && query.get('access_token') === 'tok'
        ? { status: 200, body: '{"errcode":0,"errmsg":"ok"}' }
        : { status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' };
    });
    try {
      const notifier = new DingTalkNotifier(new HttpDelivery(http.post));
      const target = {
        id: 'n',
        name: 'ding',
        kind: 'dingtalk' as const,
        webhookUrl: `${receiver.url}/robot/send?access_token=tok`,
      };
      expect(await notifier.send(firingMessage(), { ...target, secret })).toMatchObject({ ok: true, statusCode: 200 });
      expect(await notifier.send(firingMessage(), { ...target, secret: 'SECwrong' })).toMatchObject({
        ok: false,
        error: expect.stringContaining('310000'),
      });
      const body = JSON.parse(receiver.requests[0].body);
      expect(body.msgtype).toBe('markdown');
      expect(body.markdown.title).toBe('[FIRING] high-error-rate');
      expect(body.markdown.text).toContain('error rate 12.5%');
    } finally {
      await receiver.close();
    }
  });
});
