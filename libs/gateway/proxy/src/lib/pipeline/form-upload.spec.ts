import { GatewayError } from '@synapse/gateway/errors';
import { formBodyFor, readFormUpload } from './form-upload';

async function encoded(form: FormData): Promise<{ bytes: Buffer; contentType: string }> {
  const response = new Response(form);
  return {
    bytes: Buffer.from(await response.arrayBuffer()),
    contentType: response.headers.get('content-type') ?? '',
  };
}

describe('form uploads', () => {
  const audio = new Uint8Array([0, 1, 2, 250, 251, 252, 13, 10, 45, 45]);
  const form = () => {
    const data = new FormData();
    data.append('model', 'whisper-1');
    data.append('file', new Blob([audio], { type: 'audio/wav' }), 'a.wav');
    data.append('timestamp_granularities[]', 'word');
    data.append('timestamp_granularities[]', 'segment');
    data.append('stream', 'true');
    return data;
  };

  it('reads the text fields as the body, files summed up, stream as a boolean', async () => {
    const { bytes, contentType } = await encoded(form());
    const { upload, fields } = await readFormUpload(bytes, contentType);
    expect(fields).toEqual({
      model: 'whisper-1',
      file: { filename: 'a.wav', type: 'audio/wav', bytes: audio.length },
      'timestamp_granularities[]': 'word',
      stream: true,
    });
    expect(upload.model).toBe('whisper-1');
  });

  it("sends the caller's bytes while the model is theirs, and the form again with another model", async () => {
    const { bytes, contentType } = await encoded(form());
    const { upload } = await readFormUpload(bytes, contentType);
    expect((await formBodyFor(upload, 'whisper-1')).bytes).toBe(bytes);

    const renamed = await formBodyFor(upload, 'gpt-4o-transcribe');
    const again = await new Response(new Uint8Array(renamed.bytes), {
      headers: { 'content-type': renamed.contentType },
    }).formData();
    expect(again.get('model')).toBe('gpt-4o-transcribe');
    expect(again.getAll('timestamp_granularities[]')).toEqual(['word', 'segment']);
    const file = again.get('file') as File;
    expect(file.name).toBe('a.wav');
    expect(file.type).toBe('audio/wav');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(audio);
  });

  it('refuses bytes that are not a form with a 400', async () => {
    const error = await readFormUpload(Buffer.from('--x\r\nno form here'), 'multipart/form-data; boundary=x').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(400);
  });
});
