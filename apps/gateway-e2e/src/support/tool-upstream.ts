import { startMockHttpServer } from '@synapse/testing';

export interface ToolUpstream {
  url: string;
  /** The request bodies received, in order. */
  bodies: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * An OpenAI-compatible upstream that answers with a tool call (streamed in argument fragments),
 * the part of OpenAI's wire format the shared mock does not speak.
 */
export async function startToolUpstream(): Promise<ToolUpstream> {
  const bodies: Record<string, unknown>[] = [];
  const server = await startMockHttpServer(({ res, body }) => {
    bodies.push(body);
    const base = { id: 'chatcmpl-tool', created: 1767225600, model: body['model'] };
    if (body['stream'] !== true) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(
        JSON.stringify({
          ...base,
          object: 'chat.completion',
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: 'Checking.',
                tool_calls: [
                  {
                    id: 'call_w1',
                    type: 'function',
                    function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
                  },
                ],
              },
              finish_reason: 'tool_calls',
            },
          ],
          usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 },
        }),
      );
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (chunk: object) =>
      res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', ...chunk })}\n\n`);
    const delta = (d: object, finish: string | null = null) =>
      send({ choices: [{ index: 0, delta: d, finish_reason: finish }] });
    delta({ role: 'assistant', content: '' });
    delta({ content: 'Checking.' });
    delta({
      tool_calls: [{ index: 0, id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '' } }],
    });
    delta({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] });
    delta({ tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] });
    delta({}, 'tool_calls');
    send({ choices: [], usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 } });
    res.end('data: [DONE]\n\n');
  });
  return { url: `http://127.0.0.1:${server.port}/v1`, bodies, close: server.close };
}
