import { Injectable } from '@nestjs/common';
import { DifyConversationRepository } from '@synapse/gateway/persistence';
import { randomUUID } from 'node:crypto';
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
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
    } catch {
      throw DifyErrors.invalidParam('The multipart body could not be read.', 'file');
    }
    const files = form.getAll('file').filter((part): part is File => typeof part !== 'string');
    const file = files[0] ?? null;
    const { extension, mimeType } = checkUpload(file, files.length - 1);
    const user = optionalUser(form.get('user'));
    const data = Buffer.from(await (file as File).arrayBuffer());
    const stored = {
      id: randomUUID(),
      keyId,
      endUser: user,
      name: (file as File).name.slice(0, 255),
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
