/** OpenAI's chat answers as an upstream sends them, for tests whose mock serves one fixed answer. */

const USAGE = { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 };

/** A chat completion's JSON with one assistant message. */
export function chatCompletion(content: string, model = 'm', usage: Record<string, number> = USAGE): string {
  return JSON.stringify({
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage,
  });
}

/** A stream's events, one chunk per piece of text, then the finish and `[DONE]`. */
export function chatCompletionEvents(pieces: readonly string[], model = 'm'): string {
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-test',
      object: 'chat.completion.chunk',
      created: 1,
      model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`;
  return pieces.map((content) => chunk({ content }, null)).join('') + chunk({}, 'stop') + 'data: [DONE]\n\n';
}
