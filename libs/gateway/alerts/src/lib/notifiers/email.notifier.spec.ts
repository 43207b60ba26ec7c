import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { firingMessage } from '../testing/alert-message';
import { EmailNotifier } from './email.notifier';

interface Received {
  from: string;
  to: string[];
  data: string;
}

async function startSmtp(options: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const target = (port: number, overrides: { user?: string; password?: string } = {}) => ({
  id: 'n',
  name: 'mail',
  kind: 'email' as const,
  smtp: {
    host: '127.0.0.1',
    port,
    secure: false,
    from: 'gateway@example.com',
    to: ['ops@example.com', 'oncall@example.com'],
    ...overrides,
  },
});

describe(EmailNotifier.name, () => {
  const allowAll = async () => null;

  it('sends one message to every address and records the server reply', async () => {
    const smtp = await startSmtp({
      onAuth(auth, _session, callback) {
        callback(null, auth.username === 'gw' && auth.password === 'pw-1' ? { user: 'gw' } : undefined);
      },
    });
    try {
      const outcome = await new EmailNotifier(allowAll).send(
        firingMessage(),
        target(smtp.port, { user: 'gw', password: 'pw-1' }),
      );
      expect(outcome).toMatchObject({ ok: true, attempts: 1, statusCode: 250, error: null });
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]).toMatchObject({
        from: 'gateway@example.com',
        to: ['ops@example.com', 'oncall@example.com'],
      });
      expect(smtp.received[0].data).toContain('Subject: [FIRING] high-error-rate');
    } finally {
      await smtp.close();
    }
  });

  it("records a refused login with the server's answer", async () => {
    const smtp = await startSmtp({
      onAuth(_auth, _session, callback) {
        callback(new Error('Invalid username or password'));
      },
    });
    try {
      const outcome = await new EmailNotifier(allowAll).send(
        firingMessage(),
        target(smtp.port, { user: 'gw', password: 'bad' }),
      );
      expect(outcome).toMatchObject({ ok: false, statusCode: 535 });
      expect(outcome.response).toContain('Invalid username or password');
      expect(smtp.received).toHaveLength(0);
    } finally {
      await smtp.close();
    }
  });

  it('records a refused recipient', async () => {
    const smtp = await startSmtp({
      onRcptTo(_address, _session, callback) {
        const error = new Error('Mailbox unavailable') as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
      },
    });
    try {
      const outcome = await new EmailNotifier(allowAll).send(firingMessage(), target(smtp.port));
      expect(outcome).toMatchObject({ ok: false, statusCode: 550 });
      expect(outcome.response).toContain('Mailbox unavailable');
    } finally {
      await smtp.close();
    }
  });

  it('does not connect to a host the egress policy refuses', async () => {
    const outcome = await new EmailNotifier(async (host) => `${host} is a metadata address`).send(
      firingMessage(),
      target(1),
    );
    expect(outcome).toMatchObject({ ok: false, statusCode: null, error: expect.stringContaining('metadata address') });
  });
});
