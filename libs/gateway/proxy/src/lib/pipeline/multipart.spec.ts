import fc from 'fast-check';
import { boundaryOf, formParts, MAX_PARTS, MultipartError, parseMultipart, type MultipartPart } from './multipart';

async function encoded(form: FormData): Promise<{ bytes: Buffer; contentType: string }> {
  const response = new Response(form);
  return { bytes: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? '' };
}

/** What undici's own reader makes of a form: the reference our reader must agree with. */
async function undiciEntries(bytes: Buffer, contentType: string) {
  const form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
  const entries: [string, string | { filename: string; type: string; content: Buffer }][] = [];
  for (const [name, value] of form) {
    entries.push([
      name,
      typeof value === 'string'
        ? value
        : { filename: value.name, type: value.type, content: Buffer.from(await value.arrayBuffer()) },
    ]);
  }
  return entries;
}

function ourEntries(bytes: Buffer, parts: MultipartPart[]) {
  return parts.map((part) => [
    part.name,
    part.filename === undefined
      ? bytes.toString('utf8', part.start, part.end)
      : { filename: part.filename, type: part.type, content: bytes.subarray(part.start, part.end) },
  ]);
}

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');

describe('multipart/form-data, read in place', () => {
  it('agrees with undici on any form undici writes: names, values, filenames, types and file bytes', async () => {
    // Files full of line ends and dashes, as near the boundary as random bytes get.
    const tricky = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.concat([Buffer.from('\r\n--'), bytes]));
    const entry = fc.oneof(
      fc.tuple(fc.string({ unit: 'binary', minLength: 1 }), fc.string({ unit: 'binary' })),
      fc.tuple(
        fc.string({ unit: 'binary', minLength: 1 }),
        fc.record({
          content: fc.oneof(fc.uint8Array({ maxLength: 300 }), tricky),
          filename: fc.string({ unit: 'binary' }),
          type: fc.constantFrom('audio/wav', 'image/png', 'application/octet-stream', ''),
        }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 6 }), async (entries) => {
        const form = new FormData();
        for (const [name, value] of entries) {
          if (typeof value === 'string') form.append(name, value);
          else form.append(name, new Blob([value.content], { type: value.type }), value.filename);
        }
        const { bytes, contentType } = await encoded(form);
        const expected = await undiciEntries(bytes, contentType);
        const ours = ourEntries(bytes, formParts(bytes, contentType)).map(([name, value]) =>
          typeof value === 'string'
            ? [name, value]
            : [name, { ...value, type: value.type || 'application/octet-stream' }],
        );
        expect(ours).toEqual(expected.map(([name, value]) => [name, value]));
      }),
      { seed: 20261207, numRuns: 400 },
    );
  });

  it('reads what curl and Python write: a preamble, a quoted boundary, filename*, padding after a boundary', () => {
    const body = crlf([
      'a preamble that readers ignore',
      '--xyz  ',
      'content-disposition: form-data; name="model"',
      '',
      'whisper-1',
      '--xyz',
      "Content-Disposition: form-data; name=file; filename*=utf-8''r%C3%A9union.wav",
      'Content-Type: audio/wav',
      '',
      'RIFF',
      '--xyz--',
      'an epilogue',
    ]);
    const parts = formParts(body, 'multipart/form-data; charset=utf-8; boundary="xyz"');
    expect(ourEntries(body, parts)).toEqual([
      ['model', 'whisper-1'],
      ['file', { filename: 'réunion.wav', type: 'audio/wav', content: Buffer.from('RIFF') }],
    ]);
  });

  it('keeps an empty field and an empty file', () => {
    const body = crlf([
      '--b',
      'Content-Disposition: form-data; name="prompt"',
      '',
      '',
      '--b',
      'Content-Disposition: form-data; name="file"; filename=""',
      '',
      '',
      '--b--',
    ]);
    expect(ourEntries(body, parseMultipart(body, 'b'))).toEqual([
      ['prompt', ''],
      ['file', { filename: '', type: '', content: Buffer.alloc(0) }],
    ]);
  });

  it.each([
    ['no boundary line', crlf(['just text']), 'no boundary line'],
    [
      'no closing boundary (a cut upload)',
      crlf(['--b', 'Content-Disposition: form-data; name="a"', '', 'x']),
      'closing boundary',
    ],
    ['no parts', crlf(['--b--']), 'no parts'],
    [
      'a part without Content-Disposition',
      crlf(['--b', 'Content-Type: text/plain', '', 'x', '--b--']),
      'Content-Disposition',
    ],
    [
      'a part without a name',
      crlf(['--b', 'Content-Disposition: form-data; filename="a"', '', 'x', '--b--']),
      'no name',
    ],
    ['a header line without a colon', crlf(['--b', 'Content-Disposition form-data', '', 'x', '--b--']), 'malformed'],
    ['headers that never end', crlf(['--b', 'Content-Disposition: form-data; name="a"']), 'do not end'],
    [
      'a boundary glued to text',
      crlf(['--bx', 'Content-Disposition: form-data; name="a"', '', 'x', '--b--']),
      'malformed',
    ],
  ])('refuses %s', (_, body, why) => {
    expect(() => parseMultipart(body, 'b')).toThrow(MultipartError);
    expect(() => parseMultipart(body, 'b')).toThrow(why);
  });

  it('refuses a form of more parts than any API takes, before reading them all', () => {
    const part = '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n';
    const body = (count: number) => Buffer.from(part.repeat(count) + '--b--\r\n');
    expect(parseMultipart(body(MAX_PARTS), 'b')).toHaveLength(MAX_PARTS);
    expect(() => parseMultipart(body(MAX_PARTS + 1), 'b')).toThrow(`more than ${MAX_PARTS} parts`);
  });

  it('refuses part headers that no form has: over 8 KiB or 16 lines, or a disposition of more than 8 parameters', () => {
    const form = (disposition: string) =>
      crlf(['--b', `Content-Disposition: form-data; name="a"${disposition}`, '', 'x', '--b--']);
    expect(parseMultipart(form('; filename="a.wav"; x=1; y=2; z=3; w=4; v=5; u=6'), 'b')).toHaveLength(1);
    expect(() => parseMultipart(form('; filename="a.wav"; x=1; y=2; z=3; w=4; v=5; u=6; t=7'), 'b')).toThrow(
      'too many parameters',
    );
    expect(() => parseMultipart(form(`; filename="${'a'.repeat(8 * 1024)}"`), 'b')).toThrow('do not end');
    const lines = (count: number) =>
      crlf([
        '--b',
        ...Array.from({ length: count - 1 }, () => 'X-A: b'),
        'Content-Disposition: form-data; name="a"',
        '',
        'x',
        '--b--',
      ]);
    expect(parseMultipart(lines(16), 'b')).toHaveLength(1);
    expect(() => parseMultipart(lines(17), 'b')).toThrow('too many header lines');
  });

  it('refuses a Content-Type without a boundary', () => {
    expect(() => formParts(Buffer.from('--b--'), 'multipart/form-data')).toThrow('no boundary');
  });

  it('finds the boundary parameter quoted or not, among others, in any case', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc')).toBe('abc');
    expect(boundaryOf('multipart/form-data; charset=utf-8; BOUNDARY="a b:c"')).toBe('a b:c');
    expect(boundaryOf('multipart/form-data;boundary=----x; charset=utf-8')).toBe('----x');
    expect(boundaryOf('multipart/form-data; boundary=')).toBeUndefined();
  });

  it('never throws anything but MultipartError on random bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.concat([Buffer.from('--b\r\n'), bytes])),
        (body) => {
          try {
            parseMultipart(body, 'b');
          } catch (error) {
            expect(error).toBeInstanceOf(MultipartError);
          }
        },
      ),
      { seed: 7, numRuns: 2000 },
    );
  });
});
