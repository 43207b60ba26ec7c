import { Errors } from '@synapse/gateway/errors';
import type { JsonObject } from './request-body';

/** A multipart form as received (audio transcriptions, image edits): its bytes, and the form read from them. */
export interface FormUpload {
  bytes: Buffer;
  contentType: string;
  form: FormData;
  /** The model the caller named: while the upstream model is the same, the caller's bytes go as they came. */
  model: string | undefined;
}

/** A form's body for the upstream. */
export interface FormBody {
  bytes: Buffer;
  contentType: string;
}

/**
 * Reads a multipart body. The pipeline routes and logs by its text fields, so they become the
 * call's body (`stream=true` as the boolean a JSON call would send); each file stands there as
 * `{filename, type, bytes}`, which the log and captured bodies show instead of the bytes.
 */
export async function readFormUpload(
  bytes: Buffer,
  contentType: string,
): Promise<{ upload: FormUpload; fields: JsonObject }> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), {
      headers: { 'content-type': contentType },
    }).formData();
  } catch {
    throw Errors.badRequest(
      'The multipart body could not be read: send the file and fields as multipart/form-data.',
      null,
      'invalid_body',
    );
  }
  const fields: JsonObject = {};
  for (const [name, value] of form) {
    // A list field (`timestamp_granularities[]`, several `image[]`) keeps its first value here; the form goes whole.
    if (name in fields) continue;
    fields[name] = typeof value === 'string' ? value : { filename: value.name, type: value.type, bytes: value.size };
  }
  if (fields['stream'] === 'true') fields['stream'] = true;
  else delete fields['stream'];
  const model = typeof fields['model'] === 'string' ? fields['model'] : undefined;
  return { upload: { bytes, contentType, form, model }, fields };
}

/** The body to send for `model`: the caller's bytes when the model is theirs, else the form again with it. */
export async function formBodyFor(upload: FormUpload, model: string): Promise<FormBody> {
  if (model === upload.model) return upload;
  const form = new FormData();
  for (const [name, value] of upload.form) form.append(name, name === 'model' ? model : value);
  const encoded = new Response(form);
  return {
    bytes: Buffer.from(await encoded.arrayBuffer()),
    contentType: encoded.headers.get('content-type') ?? 'multipart/form-data',
  };
}
