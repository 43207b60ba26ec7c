import { eventually } from './eventually';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { startMockHttpServer } from '@synapse/testing';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/*
 * Receivers of alert notifications for end-to-end specs: each checks the signature the way its
 * service documents it (written from the docs, not from the gateway's signers) and records what
 * arrived and whether it was accepted.
 */

export type ReceiverKind = 'webhook' | 'slack' | 'dingtalk' | 'feishu' | 'wecom';

export interface Delivered {
  body: Record<string, unknown>;
  accepted: boolean;
}

export interface AlertReceiver {
  url: string;
  delivered: Delivered[];
  close(): Promise<void>;
}

/** Whether the request is genuine, per the service's docs; the body is what the robot reads. */
const CHECKS: Record<ReceiverKind, (req: IncomingMessage, raw: string, secret: string) => boolean> = {
  // docs/alerts.md: HMAC-SHA256 of "<X-Synapse-Timestamp>.<raw body>", hex, "sha256=" prefix; 5 minutes of skew at most.
  webhook: (req, raw, secret) => {
    const timestamp = String(req.headers['x-synapse-timestamp']);
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`);
    const given = Buffer.from(String(req.headers['x-synapse-signature']));
    return (
      Math.abs(Date.now() / 1000 - Number(timestamp)) < 300 &&
      given.length === expected.length &&
      timingSafeEqual(given, expected)
    );
  },
  slack: (_req, raw) => typeof JSON.parse(raw).text === 'string',
  // DingTalk: sign = Base64(HmacSHA256(key=secret, "<timestamp ms>\n<secret>")), URL-encoded; within an hour.
  dingtalk: (req, _raw, secret) => {
    const query = new URL(req.url ?? '/', 'http://robot').searchParams;
    const timestamp = query.get('timestamp') ?? '';
    const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
    return query.get('sign') === expected && Math.abs(Date.now() - Number(timestamp)) < 3_600_000;
  },
  // Feishu: sign = Base64(HmacSHA256(key="<timestamp s>\n<secret>", "")), both in the body; within an hour.
  feishu: (_req, raw, secret) => {
    const body = JSON.parse(raw);
    const expected = createHmac('sha256', `${body.timestamp}\n${secret}`).update('').digest('base64');
    return body.sign === expected && Math.abs(Date.now() / 1000 - Number(body.timestamp)) < 3_600;
  },
  // WeCom: the key in the URL is the credential.
  wecom: (req, _raw, secret) => new URL(req.url ?? '/', 'http://robot').searchParams.get('key') === secret,
};

const ACCEPTED: Record<ReceiverKind, string> = {
  webhook: 'ok',
  slack: 'ok',
  dingtalk: '{"errcode":0,"errmsg":"ok"}',
  feishu: '{"code":0,"msg":"success"}',
  wecom: '{"errcode":0,"errmsg":"ok"}',
};

const REFUSED: Record<ReceiverKind, [number, string]> = {
  webhook: [401, 'bad signature'],
  slack: [400, 'invalid_payload'],
  dingtalk: [200, '{"errcode":310000,"errmsg":"sign not match"}'],
  feishu: [200, '{"code":19021,"msg":"sign match fail"}'],
  wecom: [200, '{"errcode":93000,"errmsg":"invalid webhook url"}'],
};

/** `failFirst`: answer that many requests with 500 before behaving (for retries). */
export async function startAlertReceiver(kind: ReceiverKind, secret = '', failFirst = 0): Promise<AlertReceiver> {
  const delivered: Delivered[] = [];
  let seen = 0;
  const server = await startMockHttpServer(({ req, res, body, raw }) => {
    if (seen++ < failFirst) return void res.writeHead(500).end('try later');
    let accepted = false;
    try {
      accepted = CHECKS[kind](req, raw.toString('utf8'), secret);
    } catch {
      accepted = false;
    }
    delivered.push({ body, accepted });
    if (accepted) res.writeHead(200, { 'content-type': 'application/json' }).end(ACCEPTED[kind]);
    else res.writeHead(REFUSED[kind][0], { 'content-type': 'application/json' }).end(REFUSED[kind][1]);
  });
  return { url: `http://127.0.0.1:${server.port}`, delivered, close: server.close };
}

export interface SmtpReceiver {
  port: number;
  /** Subjects of the messages accepted. */
  subjects: string[];
  close(): Promise<void>;
}

/** An SMTP server (no TLS) that takes `user`/`password`, or refuses every login when `refuseLogin`. */
export async function startSmtpReceiver(options: {
  user: string;
  password: string;
  refuseLogin?: boolean;
}): Promise<SmtpReceiver> {
  const subjects: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (!options.refuseLogin && auth.username === options.user && auth.password === options.password)
        callback(null, { user: auth.username });
      else callback(new Error('Invalid login: 535 Authentication credentials invalid'));
    },
    onData(stream, _session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        subjects.push(/^Subject: (.*)$/m.exec(data)?.[1] ?? '');
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    subjects,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Waits for an assertion to hold, up to `timeoutMs` (evaluations run on a timer in another process). */
export function until(check: () => unknown | Promise<unknown>, timeoutMs = 30_000): Promise<void> {
  return eventually(check, { timeoutMs, intervalMs: 100 });
}
