import { DifyNativeTap } from './dify-native-tap';

const event = (data: object) => `data: ${JSON.stringify(data)}\n\n`;
const usage = { prompt_tokens: 31, completion_tokens: 7, total_tokens: 38, total_price: '0.0000089', currency: 'USD' };

describe(DifyNativeTap.name, () => {
  it('reads usage from message_end and knows the stop call while the task runs', () => {
    const tap = new DifyNativeTap('chat', 'cust-1');
    expect(tap.cancelRequest()).toBeUndefined();
    const stream =
      'event: ping\n\n' +
      event({ event: 'message', task_id: 't-1', message_id: 'm', answer: 'Hi' }) +
      event({ event: 'workflow_finished', task_id: 't-1', data: { total_tokens: 99 } }) +
      event({ event: 'message_end', task_id: 't-1', metadata: { usage } });
    tap.push(stream.slice(0, 40));
    expect(tap.cancelRequest()).toBeUndefined();
    tap.push(stream.slice(40, 120));
    expect(tap.cancelRequest()).toEqual({ path: '/chat-messages/t-1/stop', body: { user: 'cust-1' } });
    tap.push(stream.slice(120));
    expect(tap.usage).toEqual({ prompt_tokens: 31, completion_tokens: 7, total_tokens: 38 });
    expect(tap.cancelRequest()).toBeUndefined();
  });

  it('reads a workflow total and stops workflow tasks on their own path', () => {
    const tap = new DifyNativeTap('workflow', 'u');
    tap.push(event({ event: 'workflow_started', task_id: 'w-1', workflow_run_id: 'r', data: {} }));
    expect(tap.cancelRequest()).toEqual({ path: '/workflows/tasks/w-1/stop', body: { user: 'u' } });
    tap.push(event({ event: 'workflow_finished', task_id: 'w-1', data: { total_tokens: 12 } }));
    expect(tap.usage).toEqual({ prompt_tokens: 0, completion_tokens: 12, total_tokens: 12 });
  });

  it('reads blocking answers and writes an error event with the task id', () => {
    const tap = new DifyNativeTap('completion', 'u');
    tap.json({ event: 'message', task_id: 'c-1', metadata: { usage } });
    expect(tap.usage).toMatchObject({ total_tokens: 38 });
    const streaming = new DifyNativeTap('completion', 'u');
    streaming.push(event({ event: 'message', task_id: 'c-2', answer: 'x' }));
    expect(streaming.fail('broken')).toBe(
      event({ event: 'error', task_id: 'c-2', status: 500, code: 'completion_request_error', message: 'broken' }),
    );
    expect(streaming.cancelRequest()).toBeUndefined();
  });
});
