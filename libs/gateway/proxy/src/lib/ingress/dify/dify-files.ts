import { GatewayError } from '@synapse/gateway/errors';
import type { DifyUploadedFile } from '@synapse/gateway/persistence';
import type { DifyFileRef } from '@synapse/gateway/providers';
import { DifyErrors } from './dify.ingress';

/** The largest upload kept (the file is stored in the database, base64). */
export const DIFY_FILE_LIMIT = 5 * 1024 * 1024;

/** The largest recording `audio-to-text` takes, as Dify's own limit: passed to the app, never kept. */
export const DIFY_AUDIO_LIMIT = 15 * 1024 * 1024;

/** Uploads the gateway can use: images, sent to the model as image inputs. */
const IMAGE_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
};

/** The image URLs for a query's files: remote URLs as they are, uploads as data URLs. */
export async function difyImageUrls(
  files: readonly DifyFileRef[],
  load: (id: string) => Promise<DifyUploadedFile | null>,
): Promise<string[]> {
  const urls: string[] = [];
  for (const file of files) {
    if (file.type !== 'image') {
      throw DifyErrors.invalidParam('Only image files can be sent to a gateway-backed app.', 'files');
    }
    if (file.url) {
      urls.push(file.url);
      continue;
    }
    const stored = await load(file.uploadFileId ?? '');
    if (!stored) throw DifyErrors.fileNotFound();
    urls.push(`data:${stored.mimeType};base64,${stored.data}`);
  }
  return urls;
}

/** The one file of an upload, with its checked type, or Dify's error for it (400 no_file_uploaded, 413, 415). */
export function checkUpload<File extends { name: string; size: number }>(
  files: readonly File[],
): { file: File; extension: string; mimeType: string } {
  const [file] = files;
  if (!file) throw new GatewayError(400, 'no_file_uploaded', 'Please upload your file.');
  if (files.length > 1) throw new GatewayError(400, 'too_many_files', 'Only one file is allowed.');
  if (!file.name) throw new GatewayError(400, 'filename_not_exists_error', 'The specified filename does not exist.');
  if (file.size > DIFY_FILE_LIMIT) {
    throw new GatewayError(413, 'file_too_large', `File size exceeded. ${DIFY_FILE_LIMIT} bytes is the limit.`);
  }
  const extension = (file.name.split('.').pop() ?? '').toLowerCase();
  // Own keys only: a file named `x.constructor` must not find Object's.
  const mimeType = Object.hasOwn(IMAGE_TYPES, extension) ? IMAGE_TYPES[extension] : undefined;
  if (!mimeType) throw new GatewayError(415, 'unsupported_file_type', 'File type not allowed.');
  return { file, extension, mimeType };
}
