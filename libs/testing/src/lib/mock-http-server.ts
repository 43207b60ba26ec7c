/**
 * The HTTP plumbing the mock upstreams share, so that each mock file holds only its API's wire
 * format. Node built-ins only: the benchmark runs the OpenAI-compatible mock in a process of its own.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** One request as a mock received it, for a test's assertions. */
export interface RecordedRequest {
  path: string;
  /** The client port of the connection: equal ports mean a reused keep-alive connection. */
  remotePort: number | undefined;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  /** The body exactly as it arrived (the OpenAI-compatible mock records it). */
  raw?: string;
}

/** A request whose whole body has arrived. */
export interface MockExchange {
  req: IncomingMessage;
  res: ServerResponse;
  /**
   * The body parsed as JSON; {} when empty (and, without `badJson`, when it is not JSON). A
   * multipart form, with `forms`, as its fields (files as `{filename, type, size, sha256}`).
   */
  body: Record<string, unknown>;
  /** The body as it arrived, for a mock that passes it on. */
  raw: Buffer;
}

export interface MockHttpServerOptions {
  /** 0 or unset: a free port. */
  port?: number;
  /** 127.0.0.1 unless told. */
  host?: string;
  keepAliveTimeoutMs?: number;
  /** Answers a body that is not JSON, in the API's own error format; unset, the request goes on with {}. */
  badJson?: (res: ServerResponse) => void;
  /** Reads multipart/form-data bodies as their fields (OpenAI's upload endpoints). */
  forms?: boolean;
}

export interface MockHttpServer {
  port: number;
  close(): Promise<void>;
}

/** Listens and hands `answer` each request with its body. */
export async function startMockHttpServer(
  answer: (exchange: MockExchange) => void | Promise<void>,
  options: MockHttpServerOptions = {},
): Promise<MockHttpServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const contentType = req.headers['content-type'] ?? '';
      // An answer that fails resets the connection, as a server that crashed mid-request would.
      void (async () => {
        const body =
          options.forms && /^multipart\/form-data/i.test(contentType)
            ? await formFields(raw, contentType)
            : parseJson(raw);
        if (body === undefined && options.badJson) return options.badJson(res);
        await answer({ req, res, body: body ?? {}, raw });
      })().catch(() => res.destroy());
    });
  });
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        // The gateway keeps its connections alive: close() alone would wait for them to idle out.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A mock that records every request and answers under the directives last set for all of them. */
export interface RecordingMock<D> extends MockHttpServer {
  requests: RecordedRequest[];
  setDefaults(directives: D): void;
}

/**
 * For the mocks of APIs the gateway translates to: a caller's request cannot carry directives
 * through the translation, so a test sets them for every request, and `{}` makes the mock healthy again.
 */
export async function startRecordingMock<D extends object>(
  answer: (exchange: MockExchange, directives: D) => void | Promise<void>,
  options: MockHttpServerOptions = {},
): Promise<RecordingMock<D>> {
  // Every directive is optional: none set is a healthy server.
  let defaults = {} as D;
  const requests: RecordedRequest[] = [];
  const server = await startMockHttpServer((exchange) => {
    requests.push(recordOf(exchange.req, exchange.body));
    return answer(exchange, defaults);
  }, options);
  return { ...server, requests, setDefaults: (directives) => (defaults = directives) };
}

/** What the mocks record of a request: where it went, how it came and what it carried. */
export function recordOf(req: IncomingMessage, body: Record<string, unknown>): RecordedRequest {
  return { path: req.url ?? '', remotePort: req.socket.remotePort, headers: req.headers, body };
}

/** Writes JSON answers with their content-length, as the real APIs send them (not chunked). */
export function jsonSender(contentType: string) {
  return (res: ServerResponse, status: number, payload: unknown): void => {
    const text = JSON.stringify(payload);
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
}

export const sendJson = jsonSender('application/json');

/** Breaks a stream off: after a pause that lets the events written so far reach the client, a reset. */
export async function resetMidStream(res: ServerResponse): Promise<void> {
  await sleep(50);
  res.socket?.destroy();
}

function parseJson(raw: Buffer): Record<string, unknown> | undefined {
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A multipart form's fields, files summed up (name, type, size and a digest to compare bytes); undefined if unreadable. */
async function formFields(raw: Buffer, contentType: string): Promise<Record<string, unknown> | undefined> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
  } catch {
    return undefined;
  }
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form) {
    fields[name] =
      typeof value === 'string'
        ? value
        : {
            filename: value.name,
            type: value.type,
            size: value.size,
            sha256: createHash('sha256')
              .update(new Uint8Array(await value.arrayBuffer()))
              .digest('hex'),
          };
  }
  return fields;
}
