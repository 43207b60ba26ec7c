import { Errors } from '@synapse/gateway/errors';
import { audioSeconds, wholeSeconds } from '../audio-length/audio-length';
import { formParts, MultipartError, type MultipartPart } from './multipart';
import type { JsonObject } from './request-body';

/** A multipart form as received (audio transcriptions, image edits): its bytes, and where its model is in them. */
export interface FormUpload {
  bytes: Buffer;
  contentType: string;
  /** The model the caller named: while the upstream model is the same, the caller's bytes go as they came. */
  model: string | undefined;
  /** The model field's content in `bytes`, replaced in place when a route renames the model. */
  modelPart: MultipartPart | undefined;
  /** The first file of each field, by field name. */
  files: Readonly<Record<string, MultipartPart>>;
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
export function readFormUpload(bytes: Buffer, contentType: string): { upload: FormUpload; fields: JsonObject } {
  let parts: MultipartPart[];
  try {
    parts = formParts(bytes, contentType);
  } catch (error) {
    if (error instanceof MultipartError) throw unreadable(error.message);
    throw error;
  }
  const fields: JsonObject = {};
  const files: Record<string, MultipartPart> = {};
  let modelPart: MultipartPart | undefined;
  for (const part of parts) {
    // A list field (`timestamp_granularities[]`, several `image[]`) keeps its first value here; the form goes whole.
    if (part.name in fields) continue;
    if (part.filename === undefined) {
      fields[part.name] = bytes.toString('utf8', part.start, part.end);
      if (part.name === 'model') modelPart = part;
    } else {
      fields[part.name] = { filename: part.filename, type: part.type, bytes: part.end - part.start };
      files[part.name] = part;
    }
  }
  if (fields['stream'] === 'true') fields['stream'] = true;
  else delete fields['stream'];
  const model = typeof fields['model'] === 'string' ? fields['model'] : undefined;
  return { upload: { bytes, contentType, model, modelPart, files }, fields };
}

/** The body to send for `model`: the caller's bytes when the model is theirs, else them with the model field's value replaced. */
export function formBodyFor(upload: FormUpload, model: string): FormBody {
  const { bytes, modelPart } = upload;
  if (model === upload.model || !modelPart) return upload;
  return {
    bytes: Buffer.concat([bytes.subarray(0, modelPart.start), Buffer.from(model), bytes.subarray(modelPart.end)]),
    contentType: upload.contentType,
  };
}

/**
 * How long the audio in the form's `field` plays, in whole seconds rounded up (as audio APIs bill
 * it), read from the file's headers; undefined without such a file or when its format is unknown.
 */
export function uploadedSeconds(upload: FormUpload, field: string): number | undefined {
  const part = upload.files[field];
  return wholeSeconds(part && audioSeconds(upload.bytes.subarray(part.start, part.end)));
}

function unreadable(why: string) {
  return Errors.badRequest(
    `The multipart body could not be read (${why}): send the file and fields as multipart/form-data.`,
    null,
    'invalid_body',
  );
}
