// The scoring server: one or more model folders over HTTP (Fastify), each model's routes under
// its prefix, request limits (body bytes, rows, time to send a request: a slow client is cut off
// with 408), errors as JSON {statusCode, error, message} and never a stack trace, and a
// graceful close (stop accepting, finish what is in flight).

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { HourglassError } from '../engine/errors.js';
import { addAcceptHandles } from './accept_handles.js';
import { registerModelRoutes, type ModelRoutes } from './model_routes.js';
import { JsonBody } from './json_body.js';
import { openApiDocument } from './openapi.js';
import type { ServedModel } from './served_model.js';

export interface ScoringServerOptions {
  /** The model served at the root ('' prefix); others under /models/<name>. */
  root?: ServedModel;
  named?: ServedModel[];
  port?: number;
  host?: string;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Rows one request may hold (default 10,000). */
  maxRowsPerRequest?: number;
  /** A batch runs when this many rows wait (default 512)... */
  batchRows?: number;
  /** ...or when its first row has waited this long; 0 (the default): at the end of the event loop's turn. */
  batchWaitMs?: number;
  /** A client must send its whole request within this time (default 10 s). */
  requestTimeoutMs?: number;
  /** Extra handles on the listening socket, to accept bursts of connections (default 31). */
  acceptHandles?: number;
}

export interface ScoringServer {
  app: FastifyInstance;
  url: string;
  port: number;
  models: ModelRoutes[];
  close(): Promise<void>;
}

const STATUS_TEXT = (code: number) => http.STATUS_CODES[code] ?? 'Error';

export async function startScoringServer(o: ScoringServerOptions): Promise<ScoringServer> {
  const requestTimeout = o.requestTimeoutMs ?? 10_000;
  const maxRows = o.maxRowsPerRequest ?? 10_000;
  const app = Fastify({
    bodyLimit: o.bodyLimit ?? 1 << 20,
    // Node checks its request and header timeouts on this interval; its default (30 s) would
    // let a slow client hold a connection far past the limit.
    serverFactory: (handler) =>
      http.createServer(
        {
          requestTimeout,
          headersTimeout: Math.min(requestTimeout, 60_000),
          connectionsCheckingInterval: Math.max(100, Math.min(1000, requestTimeout / 4)),
          keepAliveTimeout: 5000,
        },
        handler,
      ),
  });
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  // JSON bodies stay bytes until a route reads them (see json_body.ts).
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, new JsonBody(body as Buffer)),
  );
  app.setErrorHandler((e: FastifyError, req, reply) => {
    // User errors (ours, and Fastify's 4xx: body too large, wrong content type) name
    // the problem; anything else is logged and answered without detail.
    const status =
      typeof (e as { statusCode?: number }).statusCode === 'number' && e.statusCode! < 500
        ? e.statusCode!
        : e instanceof HourglassError
          ? 422
          : 500;
    if (status >= 500) req.log.error(e);
    void reply
      .status(status)
      .send({ statusCode: status, error: STATUS_TEXT(status), message: status >= 500 ? 'internal error' : e.message });
  });
  const models: ModelRoutes[] = [];
  const limits = {
    maxRowsPerRequest: maxRows,
    maxRows: o.batchRows ?? 512,
    maxWaitMs: o.batchWaitMs ?? 0,
  };
  if (o.root) models.push(registerModelRoutes(app, '', o.root, limits));
  for (const m of o.named ?? []) models.push(registerModelRoutes(app, `/models/${m.name}`, m, limits));
  if (models.length === 0) throw new HourglassError('give a model folder to serve');
  const routeList = models.flatMap((m) => [`GET ${m.prefix}/model`, ...m.routes.map((r) => `POST ${m.prefix}/${r}`)]);
  const everyRoute = ['GET /health', 'GET /openapi.json', ...routeList];
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    // A known path asked with the wrong method is 405, with the method it takes.
    const allowed = everyRoute.filter((r) => r.endsWith(` ${path}`)).map((r) => r.split(' ')[0]!);
    const status = allowed.length ? 405 : 404;
    if (allowed.length) void reply.header('allow', allowed.join(', '));
    void reply.status(status).send({
      statusCode: status,
      error: STATUS_TEXT(status),
      message: allowed.length
        ? `${path} takes ${allowed.join(', ')}, not ${req.method}`
        : `no route ${req.method} ${path}; this server answers ${everyRoute.join(', ')}`,
    });
  });
  app.get('/health', async () => ({ status: 'ok', models: models.map((m) => m.model.name) }));
  const doc = openApiDocument(models, maxRows);
  app.get('/openapi.json', async () => doc);
  // A deep accept queue: with Node's default (511) a burst of a thousand clients connecting at
  // once loses SYNs, and the kernel's retries (1 s, 3 s, 7 s) show up as multi-second latencies.
  await app.listen({ port: o.port ?? 8080, host: o.host ?? '127.0.0.1', backlog: 4096 });
  // And that burst is accepted 32 a turn rather than one (see accept_handles.ts).
  const acceptHandles = await addAcceptHandles(app.server, o.acceptHandles ?? 31);
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    app,
    url: `http://${host}:${address.port}`,
    port: address.port,
    models,
    close: async () => {
      // Fastify stops accepting, answers 503 on kept-alive connections and waits for in-flight
      // requests, but only on the connections its own server accepted: each extra handle's
      // 'close' waits for the connections it accepted.
      const drained = acceptHandles.map((h) => new Promise<void>((resolve) => h.close(() => resolve())));
      await app.close();
      await Promise.all(drained);
      for (const m of models) m.model.dispose();
    },
  };
}
