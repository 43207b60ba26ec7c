import { MAX_EVENT_CHARS, SseUsageTap } from './sse-usage-tap';

const chunk = (content: string) =>
  `data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"finish_reason":null}],"usage":null}\n\n`;
const usageChunk =
  'data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}\n\n';
const done = 'data: [DONE]\n\n';

function run(tap: SseUsageTap, pieces: string[]): string {
  let out = '';
  for (const piece of pieces) {
    const forwarded = tap.push(Buffer.from(piece));
    if (forwarded) out += forwarded.toString();
  }
  return out + (tap.end() ?? '');
}

describe(SseUsageTap.name, () => {
  const stream = chunk('Hel') + chunk('lo') + usageChunk + done;

  it('forwards every byte unchanged when the caller asked for usage, and reads the usage', () => {
    const tap = new SseUsageTap(false);
    const pieces = [stream.slice(0, 17), stream.slice(17, 130), stream.slice(130)];
    const forwarded = pieces.map((p) => tap.push(Buffer.from(p)));
    expect(forwarded.map((b) => b?.toString()).join('')).toBe(stream);
    expect(tap.usage).toEqual({ promptTokens: 9, completionTokens: 2, totalTokens: 11 });
    expect(tap.sawDone).toBe(true);
  });

  it('withholds the usage-only chunk the caller did not ask for, even when split across reads', () => {
    const tap = new SseUsageTap(true);
    const bytes = [...stream].map((c) => c);
    // one character per read: the worst case for event boundaries
    expect(run(tap, bytes)).toBe(chunk('Hel') + chunk('lo') + done);
    expect(tap.usage?.totalTokens).toBe(11);
    expect(tap.completionText()).toBe('Hello');
  });

  it('keeps usage that rides on a content chunk', () => {
    const tap = new SseUsageTap(true);
    const mixed =
      'data: {"choices":[{"index":0,"delta":{"content":"x"}}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}\n\n' +
      done;
    expect(run(tap, [mixed])).toBe(mixed);
    expect(tap.usage?.totalTokens).toBe(2);
  });

  it('handles CRLF framing and multi-byte characters split between reads', () => {
    const tap = new SseUsageTap(true);
    const text = 'data: {"choices":[{"index":0,"delta":{"content":"héllo ✓"}}]}\r\n\r\ndata: [DONE]\r\n\r\n';
    const bytes = Buffer.from(text);
    let out = '';
    for (let i = 0; i < bytes.length; i += 3) out += tap.push(bytes.subarray(i, i + 3))?.toString() ?? '';
    out += tap.end() ?? '';
    expect(tap.completionText()).toBe('héllo ✓');
    expect(out).toBe(text.replace(/\r\n/g, '\n'));
  });

  it('collects legacy completion text and tool-call arguments for the tokenizer', () => {
    const tap = new SseUsageTap(false);
    run(tap, [
      'data: {"choices":[{"index":0,"text":"abc"}]}\n\n',
      'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"a\\":1}"}}]}}]}\n\n',
    ]);
    expect(tap.completionText()).toBe('abc{"a":1}');
    expect(tap.usage).toBeUndefined();
  });

  it('passes on events whose data is JSON but not a chunk (null, a number), as they came', () => {
    for (const drop of [false, true]) {
      const tap = new SseUsageTap(drop);
      const odd = 'data: null\n\ndata: 3\n\ndata: "x"\n\ndata: [1]\n\n';
      expect(String(tap.push(Buffer.from(odd)))).toBe(odd);
      expect(tap.usage).toBeUndefined();
    }
  });

  it('delivers an unterminated last event at the end', () => {
    const tap = new SseUsageTap(true);
    expect(run(tap, [chunk('a'), 'data: [DONE]'])).toBe(chunk('a') + done);
  });

  it('ends an unterminated last event of spaces then a word in linear time (a trailing-space regex took minutes)', () => {
    const tap = new SseUsageTap(true);
    const last = `data: [DONE]${' '.repeat(500_000)}x`;
    expect(run(tap, [chunk('a'), last]) === chunk('a') + last + '\n\n').toBe(true);
  });

  it('keeps a CRLF line end split between reads inside its event', () => {
    // Cut after each `\r`: a `\r` read alone once became an event's end with the next read's `\n`.
    const text =
      'event: message\r\ndata: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\r\n\r\ndata: [DONE]\r\n\r\n';
    const tap = new SseUsageTap(true);
    expect(run(tap, text.split(/(?<=\r)/))).toBe(text.replace(/\r\n/g, '\n'));
    expect(tap.completionText()).toBe('hi');
  });

  it('passes on an event longer than MAX_EVENT_CHARS unread, holding no more than that of it', () => {
    const giant = `data: {"choices":[{"index":0,"delta":{"content":"${'a'.repeat(3 * MAX_EVENT_CHARS)}"}}]}\n\n`;
    const whole = chunk('Hi') + giant + chunk('!') + usageChunk + done;
    for (const drop of [true, false]) {
      const tap = new SseUsageTap(drop);
      const pieces: string[] = [];
      for (let i = 0; i < whole.length; i += 65_536) pieces.push(whole.slice(i, i + 65_536));
      let out = '';
      let held = 0;
      for (const piece of pieces) {
        const forwarded = tap.push(Buffer.from(piece));
        if (forwarded) out += forwarded.toString();
        held = Math.max(held, whole.indexOf(piece) + piece.length - out.length);
      }
      out += tap.end() ?? '';
      expect(held).toBeLessThanOrEqual(MAX_EVENT_CHARS + 65_536);
      // Megabytes: compared without printing them.
      const expected = drop ? chunk('Hi') + giant + chunk('!') + done : whole;
      expect(out.length).toBe(expected.length);
      expect(out === expected).toBe(true);
      // The events around it are read as ever; its own text is not.
      expect(tap.usage?.totalTokens).toBe(11);
      expect(tap.completionText().slice(0, 40)).toBe('Hi!');
    }
  });
});
