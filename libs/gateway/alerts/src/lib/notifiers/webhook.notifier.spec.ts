import { EgressPolicy } from '@synapse/gateway/config';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { firingMessage } from '../testing/alert-message';
import { startHttpReceiver, type ReceivedRequest } from '../testing/http-receiver';
import { egressHttpPost } from './egress-http-post';
import { HttpDelivery } from './http-delivery';
import { WebhookNotifier, webhookSignature } from './webhook.notifier';

/** How a receiver checks the signature (docs/alerts.md), written from the docs rather than from the signer. */
function verified(request: ReceivedRequest, secret: string): boolean {
  const timestamp = String(request.headers['x-synapse-timestamp']);
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`;
  const given = Buffer.from(String(request.headers['x-synapse-signature']));
  return given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
}

describe(WebhookNotifier.name, () => {
  const http = egressHttpPost(new EgressPolicy());
  afterAll(() => http.close());

  it('signs "<timestamp>.<body>" with HMAC-SHA256 (known vector computed with Python hmac)', () => {
    expect(webhookSignature('whsec-test', '1700000000', '{"event":"firing"}')).toBe(
      'sha256=30258e4933c51f870cec0dbbcf92fa764e3a942032e2fc2b0c6b82e06dd60ec0',
    );
  });

  it('posts the alert as JSON with a signature the receiver can verify', async () => {
    const receiver = await startHttpReceiver();
    try {
      const notifier = new WebhookNotifier(new HttpDelivery(http.post), () => 1_700_000_000_123);
      const outcome = await notifier.send(firingMessage(), {
        id: 'n1',
        name: 'hook',
        kind: 'webhook',
        webhookUrl: `${receiver.url}/alerts`,
        secret: 'whsec-test',
      });
      expect(outcome.ok).toBe(true);
      const [request] = receiver.requests;
      expect(request.url).toBe('/alerts');
      expect(request.headers['x-synapse-timestamp']).toBe('1700000000');
      expect(verified(request, 'whsec-test')).toBe(true);
      expect(verified(request, 'another-secret')).toBe(false);
      expect(JSON.parse(request.body)).toEqual({
        version: 1,
        event: 'firing',
        rule: { id: 'rule-1', name: 'high-error-rate', kind: 'error_rate', scope: 'model gpt-4o-mini' },
        value: 12.5,
        summary: 'error rate 12.5% ≥ 5% (8 of 64 calls in 5m)',
        at: '2026-05-01T10:00:00.000Z',
        eventId: 'event-1',
      });
    } finally {
      await receiver.close();
    }
  });

  it('sends no signature without a secret', async () => {
    const receiver = await startHttpReceiver();
    try {
      await new WebhookNotifier(new HttpDelivery(http.post)).send(firingMessage(), {
        id: 'n1',
        name: 'hook',
        kind: 'webhook',
        webhookUrl: receiver.url,
      });
      expect(receiver.requests[0].headers['x-synapse-signature']).toBeUndefined();
    } finally {
      await receiver.close();
    }
  });
});
