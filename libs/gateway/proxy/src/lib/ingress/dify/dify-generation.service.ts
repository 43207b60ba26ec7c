import { Inject, Injectable, Logger } from '@nestjs/common';
import { Errors, GatewayError } from '@synapse/gateway/errors';
import {
  DifyConversationRepository,
  type DifyConversation,
  type DifyMessage,
  type DifyTurnRecord,
} from '@synapse/gateway/persistence';
import {
  DIFY_PING,
  difyIngressFormat,
  DifyNativeTap,
  difyToCanonical,
  FormatError,
  newDifyTurn,
  parseDifyGeneration,
  type DifyApp,
  type DifyGeneration,
  type DifyHistoryTurn,
  type DifyTurn,
  type JsonObject,
  type NativePassThrough,
} from '@synapse/gateway/providers';
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ActiveKey } from '../../catalog/catalog-snapshot';
import { CatalogService } from '../../catalog/catalog.service';
import { ProxyService } from '../../pipeline/proxy.service';
import { PRICING, type Pricing } from '../../pricing/pricing';
import { DIFY, difyIngress, DifyErrors, sendDifyJson } from './dify.ingress';
import { conversationName } from './dify-conversation-name';
import { difyImageUrls } from './dify-files';
import { difyModelFor } from './dify-model';
import { difyPassThroughChannel } from './dify-pass-through-channel';
import { DifyTasks } from './dify-tasks';
import { DifyWriteBarrier } from './dify-write-barrier';

/** Earlier exchanges replayed to the model: enough for a chat, bounded so one read stays small. */
export const DIFY_HISTORY_TURNS = 20;
/** Where a Dify app takes each kind of generation. */
const APP_PATHS: Readonly<Record<DifyApp, string>> = {
  chat: '/chat-messages',
  completion: '/completion-messages',
  workflow: '/workflows/run',
};
/** Dify's keep-alive interval on streams (10 s, as Dify sends them; DIFY_PING_INTERVAL_MS). */
export const DIFY_PING_INTERVAL = Symbol('DIFY_PING_INTERVAL');
/** Gateway-backed workflows have one fixed workflow (one LLM node). */
const WORKFLOW_ID = '00000000-0000-4000-8000-000000000001';

/** A Dify generation call as the transport hands it over: authenticated, the body parsed. */
export interface DifyCall {
  id: string;
  key: ActiveKey;
  body: unknown;
  bodyBytes: number;
}

/**
 * `POST /chat-messages`, `/completion-messages` and `/workflows/run` on a gateway-backed app
 * (docs/dify.md#dify-as-an-ingress): the call becomes a canonical chat completion for the key's
 * Dify model and goes through ProxyService like any call (routing, limits, budgets, usage, cost,
 * log). Chat history is the gateway's: one read of the conversation before the call, one write of
 * the turn after the answer went out.
 */
@Injectable()
export class DifyGenerationService {
  private readonly logger = new Logger('Dify');

  constructor(
    private readonly proxy: ProxyService,
    private readonly catalog: CatalogService,
    private readonly conversations: DifyConversationRepository,
    private readonly tasks: DifyTasks,
    private readonly writes: DifyWriteBarrier,
    @Inject(PRICING) private readonly pricing: Pricing,
    @Inject(DIFY_PING_INTERVAL) private readonly pingMs: number,
  ) {}

  async generate(app: DifyApp, call: DifyCall, res: ServerResponse): Promise<void> {
    let generation: DifyGeneration;
    let model: string;
    let passThrough: boolean;
    let prepared: { history: DifyHistoryTurn[]; images: string[]; conversation: DifyConversation | null };
    let canonical: JsonObject & { model: string };
    try {
      generation = parseDifyGeneration(app, call.body);
      const { snapshot } = this.catalog;
      model = difyModelFor(call.key.name, snapshot.routes);
      passThrough = difyPassThroughChannel(model, snapshot) !== undefined;
      // A Dify app upstream keeps its own conversations and files: the gateway reads nothing.
      prepared = passThrough
        ? { history: [], images: remoteImages(generation), conversation: null }
        : await this.prepare(call.key, generation);
      canonical = difyToCanonical(generation, model, prepared.history, prepared.images);
    } catch (error) {
      return this.refuse(call, res, asGatewayError(error, call.id, this.logger));
    }
    const turn = newDifyTurn(
      {
        app,
        taskId: randomUUID(),
        messageId: randomUUID(),
        conversationId: app === 'chat' ? (prepared.conversation?.id ?? randomUUID()) : null,
        workflowRunId: randomUUID(),
        workflowId: WORKFLOW_ID,
        inputs: generation.inputs,
      },
      Date.now(),
      performance.now(),
    );
    // Priced as the request log prices the call: the model that answered, else the one asked for.
    const { prices } = this.pricing;
    turn.priceOf = (served) => (served ? prices.priceOf(served) : undefined) ?? prices.priceOf(model) ?? null;
    const format = difyIngressFormat(canonical, turn, () => performance.now());
    // On a Dify channel the caller's body goes as it is; other targets get the canonical request.
    const native: NativePassThrough | undefined = passThrough
      ? {
          channelType: 'dify',
          path: APP_PATHS[app],
          body: call.body as JsonObject,
          tap: () => new DifyNativeTap(app, generation.user),
        }
      : undefined;
    const stop = new AbortController();
    this.tasks.start(turn.taskId, {
      keyId: call.key.id,
      user: generation.user,
      stop: () => {
        turn.stopped = true;
        stop.abort();
      },
    });
    // A Dify app upstream sends its own pings.
    const ping = generation.stream && !passThrough ? setInterval(() => keepAlive(res), this.pingMs) : undefined;
    try {
      await this.proxy.forward(
        'chat.completions',
        {
          id: call.id,
          key: call.key,
          body: call.body,
          // What goes upstream (with the history) is what a token limit must estimate.
          bodyBytes: Buffer.byteLength(JSON.stringify(canonical)),
          ingress: difyIngress(format),
          native,
          signal: stop.signal,
        },
        res,
      );
    } finally {
      clearInterval(ping);
      this.tasks.end(turn.taskId);
    }
    // A blocking call stopped before its answer: Dify answers with what there is (nothing).
    if (turn.stopped && !res.headersSent) {
      const body = format.fromCanonical({ choices: [], usage: turn.usage }, model);
      sendDifyJson(res, call.id, 200, body);
    }
    if (!passThrough && app !== 'workflow' && res.statusCode < 400 && !turn.failure) {
      this.store(call.key.id, generation, turn, prepared.conversation);
    }
  }

  /** A call turned away before the pipeline: logged (as every Dify call is) and answered in Dify's shape. */
  private refuse(call: DifyCall, res: ServerResponse, refusal: GatewayError): void {
    this.proxy.recordRejected(call.id, 'chat.completions', refusal, call.key, DIFY);
    DIFY.sendError(res, call.id, refusal);
  }

  /** The one read before the call: the conversation with its recent history, and uploaded images. */
  private async prepare(key: ActiveKey, generation: DifyGeneration) {
    let conversation: DifyConversation | null = null;
    let history: DifyHistoryTurn[] = [];
    if (generation.conversationId) {
      await this.writes.settled(key.id, generation.user);
      const found = await this.conversations.history(
        key.id,
        generation.user,
        generation.conversationId,
        DIFY_HISTORY_TURNS,
      );
      if (!found) throw DifyErrors.conversationNotFound();
      conversation = found.conversation;
      history = found.messages.filter((m) => m.status === 'normal');
    }
    const images = await difyImageUrls(generation.files, (id) => this.conversations.file(key.id, generation.user, id));
    return { conversation, history, images };
  }

  /** The one write after the call, off the caller's path; reads of this key and user wait for it. */
  private store(keyId: string, generation: DifyGeneration, turn: DifyTurn, existing: DifyConversation | null): void {
    const now = new Date();
    const message: DifyMessage = {
      id: turn.messageId,
      conversationId: turn.conversationId,
      keyId,
      endUser: generation.user,
      query: generation.app === 'chat' ? generation.query : JSON.stringify(generation.inputs),
      answer: turn.answer,
      inputs: generation.inputs,
      files: generation.files.map((f) => ({
        type: f.type,
        transfer_method: f.transferMethod,
        ...(f.url && { url: f.url }),
        ...(f.uploadFileId && { upload_file_id: f.uploadFileId }),
      })),
      status: 'normal',
      error: null,
      feedbackRating: null,
      feedbackContent: null,
      promptTokens: turn.usage?.prompt_tokens ?? null,
      completionTokens: turn.usage?.completion_tokens ?? null,
      createdAt: now,
    };
    let conversation: DifyTurnRecord['conversation'] = null;
    if (existing) conversation = { id: existing.id, updatedAt: now };
    else if (turn.conversationId) {
      conversation = {
        id: turn.conversationId,
        keyId,
        endUser: generation.user,
        name: generation.autoGenerateName ? conversationName(generation.query) : 'New conversation',
        inputs: generation.inputs,
        createdAt: now,
        updatedAt: now,
      };
    }
    this.writes
      .write(keyId, generation.user, () => this.conversations.saveTurn({ conversation, message }))
      .catch((error: unknown) =>
        this.logger.warn(`could not store Dify message ${message.id}: ${(error as Error)?.message ?? error}`),
      );
  }
}

/** The query's images that need no upload store (URLs), for a call whose uploads live upstream. */
function remoteImages(generation: DifyGeneration): string[] {
  return generation.files.flatMap((file) => (file.type === 'image' && file.url ? [file.url] : []));
}

function keepAlive(res: ServerResponse): void {
  if (res.headersSent && !res.writableEnded && !res.destroyed) res.write(DIFY_PING);
}

function asGatewayError(error: unknown, requestId: string, logger: Logger): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof FormatError) return DifyErrors.invalidParam(error.message, error.param);
  logger.error(`${requestId}: ${(error as Error)?.stack ?? error}`);
  return Errors.internal(requestId);
}
