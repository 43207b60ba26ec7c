import { Injectable } from '@nestjs/common';
import { DifyConversationRepository } from '@synapse/gateway/persistence';
import { randomUUID } from 'node:crypto';
import { formParts, MultipartError, type MultipartPart } from '../../pipeline/multipart';
import { checkUpload } from './dify-files';
import { optionalUser } from './dify-conversations.service';
import { DifyErrors } from './dify.ingress';

/** `POST /files/upload`: one image (multipart `file`, optional `user`), kept for later chat messages. */
@Injectable()
export class DifyUploads {
  constructor(private readonly store: DifyConversationRepository) {}

  async upload(keyId: string, contentType: string, bytes: Buffer): Promise<object> {
    if (!/^multipart\/form-data\b/i.test(contentType)) {
      throw DifyErrors.invalidParam('Send the file as multipart/form-data.', 'file');
    }
    let parts: MultipartPart[];
    try {
      parts = formParts(bytes, contentType);
    } catch (error) {
      if (error instanceof MultipartError)
        throw DifyErrors.invalidParam('The multipart body could not be read.', 'file');
      throw error;
    }
    const files = parts
      .filter((part) => part.name === 'file' && part.filename !== undefined)
      .map((part) => ({ name: part.filename as string, size: part.end - part.start, part }));
    const { file, extension, mimeType } = checkUpload(files);
    const userPart = parts.find((part) => part.name === 'user' && part.filename === undefined);
    const user = optionalUser(userPart && bytes.toString('utf8', userPart.start, userPart.end));
    const data = bytes.subarray(file.part.start, file.part.end);
    const stored = {
      id: randomUUID(),
      keyId,
      endUser: user,
      name: file.name.slice(0, 255),
      size: data.length,
      extension,
      mimeType,
      data: data.toString('base64'),
      createdAt: new Date(),
    };
    await this.store.saveFile(stored);
    return {
      id: stored.id,
      name: stored.name,
      size: stored.size,
      extension,
      mime_type: mimeType,
      created_by: user,
      created_at: Math.floor(stored.createdAt.getTime() / 1000),
    };
  }
}
