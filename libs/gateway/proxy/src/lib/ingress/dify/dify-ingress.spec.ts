import { RouteTable } from '@synapse/routing';
import { conversationName } from './dify-conversation-name';
import { difyModelFor } from './dify-model';
import { matchDifyRoute } from './dify-routes';
import { DifyTasks } from './dify-tasks';
import { LocalInvalidationBus } from '@synapse/gateway/cluster';
import { DifyWriteBarrier } from './dify-write-barrier';

describe('matchDifyRoute', () => {
  it.each([
    ['POST', '/v1/chat-messages', { kind: 'generate', app: 'chat' }],
    ['POST', '/v1/completion-messages', { kind: 'generate', app: 'completion' }],
    ['POST', '/v1/workflows/run', { kind: 'generate', app: 'workflow' }],
    ['POST', '/v1/chat-messages/t-1/stop', { kind: 'stop', id: 't-1' }],
    ['POST', '/v1/completion-messages/t%202/stop', { kind: 'stop', id: 't 2' }],
    ['POST', '/v1/workflows/tasks/t-3/stop', { kind: 'stop', id: 't-3' }],
    ['GET', '/v1/messages', { kind: 'messages' }],
    ['GET', '/v1/conversations', { kind: 'conversations' }],
    ['POST', '/v1/conversations/c-1/name', { kind: 'rename', id: 'c-1' }],
    ['DELETE', '/v1/conversations/c-1', { kind: 'delete', id: 'c-1' }],
    ['POST', '/v1/messages/m-1/feedbacks', { kind: 'feedback', id: 'm-1' }],
    ['GET', '/v1/parameters', { kind: 'parameters' }],
    ['POST', '/v1/files/upload', { kind: 'upload' }],
    ['POST', '/v1/audio-to-text', { kind: 'audio-to-text' }],
    ['POST', '/v1/text-to-audio', { kind: 'text-to-audio' }],
    // Malformed escapes are kept as sent (decodeURIComponent would throw): they name nothing.
    ['POST', '/v1/conversations/%E0%A4%A/name', { kind: 'rename', id: '%E0%A4%A' }],
    ['DELETE', '/v1/conversations/%ZZ', { kind: 'delete', id: '%ZZ' }],
    ['POST', '/v1/chat-messages/%C0/stop', { kind: 'stop', id: '%C0' }],
  ])('%s %s', (method, path, action) => {
    expect(matchDifyRoute(method, path)).toEqual(action);
  });

  it.each([
    ['POST', '/v1/messages'], // Anthropic's
    ['GET', '/v1/models'],
    ['GET', '/v1/chat-messages'],
    ['DELETE', '/v1/conversations/c-1/name'],
    ['POST', '/v1/chat-messages//stop'],
    ['GET', '/health/ready'],
  ])('leaves %s %s to others', (method, path) => {
    expect(matchDifyRoute(method, path)).toBeUndefined();
  });
});

describe('difyModelFor', () => {
  const routes = RouteTable.compile(
    [
      { name: 'dify', targets: [{ id: 't1', channelId: 'c', model: 'm' }] },
      { name: 'dify/support', targets: [{ id: 't2', channelId: 'c', model: 'm' }] },
      { name: 'sales-bot', aliases: ['dify/sales'], targets: [{ id: 't3', channelId: 'c', model: 'm' }] },
      { name: '*', targets: [{ id: 't4', channelId: 'c', model: '*' }] },
    ] as never,
    { implicit: [] } as never,
  );

  it("takes the key's own route or alias, else dify; a catch-all pattern is not a key's route", () => {
    expect(difyModelFor('support', routes)).toBe('dify/support');
    expect(difyModelFor('sales', routes)).toBe('dify/sales');
    expect(difyModelFor('ci', routes)).toBe('dify');
  });
});

describe(DifyTasks.name, () => {
  it('stops a task only for its own key and user, once', () => {
    const tasks = new DifyTasks(new LocalInvalidationBus());
    const stop = jest.fn();
    tasks.start('t', { keyId: 'k', user: 'u', stop });
    expect(tasks.stopHere('t', 'k', 'other')).toBe(false);
    expect(tasks.stopHere('t', 'other', 'u')).toBe(false);
    expect(stop).not.toHaveBeenCalled();
    expect(tasks.stopHere('t', 'k', 'u')).toBe(true);
    expect(tasks.stopHere('t', 'k', 'u')).toBe(false);
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it('passes a stop for a task it does not hold to the replica that holds it', async () => {
    const bus = new LocalInvalidationBus();
    const [serving, asked] = [new DifyTasks(bus), new DifyTasks(bus)];
    serving.onModuleInit();
    asked.onModuleInit();
    const stop = jest.fn();
    serving.start('t', { keyId: 'k', user: 'u', stop });
    asked.stop('t', 'k', 'mallory');
    await Promise.resolve();
    expect(stop).not.toHaveBeenCalled();
    asked.stop('t', 'k', 'u');
    await Promise.resolve();
    expect(stop).toHaveBeenCalledTimes(1);
  });
});

describe(DifyWriteBarrier.name, () => {
  it("makes reads of a key and user wait for that scope's writes, in order, failures included", async () => {
    const barrier = new DifyWriteBarrier();
    const done: string[] = [];
    let release!: () => void;
    const first = barrier.write('k', 'u', () =>
      new Promise<void>((r) => (release = r)).then(() => void done.push('1')),
    );
    const second = barrier.write('k', 'u', async () => {
      done.push('2');
      throw new Error('write failed');
    });
    let otherSettled = false;
    void barrier.settled('k', 'other').then(() => (otherSettled = true));
    let settled = false;
    const waiting = barrier.settled('k', 'u').then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(otherSettled).toBe(true);
    expect(settled).toBe(false);
    release();
    await first;
    await expect(second).rejects.toThrow('write failed');
    await waiting;
    expect(done).toEqual(['1', '2']);
  });
});

describe('conversationName', () => {
  it('is the first line of the first query, cut at 40 characters', () => {
    expect(conversationName('  Refund policy?\nmore')).toBe('Refund policy?');
    expect(conversationName('x'.repeat(50))).toBe(`${'x'.repeat(39)}…`);
    expect(conversationName('   ')).toBe('New conversation');
  });
});
