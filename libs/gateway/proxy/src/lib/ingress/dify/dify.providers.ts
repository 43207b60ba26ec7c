import { DifyConversationsService } from './dify-conversations.service';
import { DifyGenerationService } from './dify-generation.service';
import { DifyHttpHandler } from './dify-http-handler';
import { DifyPassThroughRelay } from './dify-pass-through.relay';
import { DifyTasks } from './dify-tasks';
import { DifyUploads } from './dify-uploads.service';
import { DifyWriteBarrier } from './dify-write-barrier';

/** The Dify ingress's services (docs/dify.md#dify-as-an-ingress), one line in ProxyModule. */
export const DIFY_PROVIDERS = [
  DifyTasks,
  DifyWriteBarrier,
  DifyGenerationService,
  DifyConversationsService,
  DifyUploads,
  DifyPassThroughRelay,
  DifyHttpHandler,
];
