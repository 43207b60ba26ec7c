import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

/** What `nx run admin:build` writes (`npm test` builds every project before Jest runs). */
export const CONSOLE_DIST = resolve(__dirname, '../../../../dist/apps/admin/browser');

/** The paths the console calls on its own origin; everything else is the single-page app. */
const GATEWAY_PATHS = ['/graphql', '/api', '/v1', '/health'];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface ConsoleServer {
  /** The console's origin, e.g. http://127.0.0.1:41234. */
  url: string;
  close(): Promise<void>;
}

function forGateway(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return GATEWAY_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * Serves the built console as the production container would: static files with a fallback to
 * index.html for the app's routes, and the gateway's paths (`/graphql` with its graphql-ws upgrade,
 * `/api`, `/v1`, `/health`) passed through to the gateway, so that the browser sees one origin.
 */
export async function startConsoleServer(gatewayUrl: string, root = CONSOLE_DIST): Promise<ConsoleServer> {
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`no built console at ${root}: run \`npx nx run admin:build\` first`);
  }
  const gateway = new URL(gatewayUrl);
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    if (forGateway(req.url ?? '/')) proxy(req, res, gateway);
    else serveStatic(req, res, root);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // graphql-ws: pass the upgrade request through as it came and then splice the two sockets.
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    if (!forGateway(req.url ?? '/')) return void client.destroy();
    const upstream = connect(Number(gateway.port), gateway.hostname, () => {
      const headers = Object.entries(req.headers)
        .filter(([name]) => name !== 'host')
        .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${name}: ${v}\r\n`))
        .join('');
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\nhost: ${gateway.host}\r\n${headers}\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });

  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolveClose) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolveClose());
      }),
  };
}

function proxy(req: IncomingMessage, res: ServerResponse, gateway: URL): void {
  const upstream = request(
    {
      hostname: gateway.hostname,
      port: gateway.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: gateway.host },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`console proxy: ${error.message}`);
  });
  req.pipe(upstream);
}

function serveStatic(req: IncomingMessage, res: ServerResponse, root: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
    return;
  }
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://console').pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  const file = resolve(root, `.${path}`);
  const inside = file === root || file.startsWith(root + sep);
  const found = inside && existsSync(file) && statSync(file).isFile();
  // A missing file with an extension is a missing asset (404); anything else is a route of the app.
  if (!found && extname(path) !== '') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const served = found ? file : join(root, 'index.html');
  const body = readFileSync(served);
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(served)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
