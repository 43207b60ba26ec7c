import { GatewayError } from '@synapse/gateway/errors';
import { audioFixture } from '@synapse/testing';
import { formBodyFor, readFormUpload, uploadedSeconds } from './form-upload';

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
    const { upload, fields } = readFormUpload(bytes, contentType);
    expect(fields).toEqual({
      model: 'whisper-1',
      file: { filename: 'a.wav', type: 'audio/wav', bytes: audio.length },
      'timestamp_granularities[]': 'word',
      stream: true,
    });
    expect(upload.model).toBe('whisper-1');
  });

  it("measures the audio of a form's file in whole seconds, rounded up; nothing without one, or for bytes of no known format", async () => {
    const withAudio = new FormData();
    withAudio.append('model', 'whisper-1');
    // 7.38 s of MP3 (ffprobe), named and typed as something else: the bytes decide.
    withAudio.append('file', new Blob([audioFixture('tone.mp3')], { type: 'audio/wav' }), 'a.wav');
    const measured = await encoded(withAudio);
    expect(uploadedSeconds(readFormUpload(measured.bytes, measured.contentType).upload, 'file')).toBe(8);

    const { bytes, contentType } = await encoded(form());
    const { upload } = readFormUpload(bytes, contentType);
    expect(uploadedSeconds(upload, 'file')).toBeUndefined();
    expect(uploadedSeconds(upload, 'audio')).toBeUndefined();
  });

  it("sends the caller's bytes while the model is theirs, and the form again with another model", async () => {
    const { bytes, contentType } = await encoded(form());
    const { upload } = readFormUpload(bytes, contentType);
    expect(formBodyFor(upload, 'whisper-1').bytes).toBe(bytes);

    const renamed = formBodyFor(upload, 'gpt-4o-transcribe');
    expect(renamed.bytes.toString('latin1')).toBe(
      bytes.toString('latin1').replace('\r\n\r\nwhisper-1\r\n', '\r\n\r\ngpt-4o-transcribe\r\n'),
    );
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

  it('refuses bytes that are not a form with a 400 that says why', () => {
    const refusal = (bytes: string, contentType: string) => {
      try {
        readFormUpload(Buffer.from(bytes), contentType);
      } catch (error) {
        return error as GatewayError;
      }
      throw new Error('read');
    };
    const cut = refusal('--x\r\nno form here', 'multipart/form-data; boundary=x');
    expect(cut).toBeInstanceOf(GatewayError);
    expect(cut.status).toBe(400);
    expect(cut.message).toMatch(/could not be read \(.+\): send the file and fields as multipart\/form-data/);
    expect(refusal('--x--', 'multipart/form-data').message).toContain('no boundary');
  });
});
