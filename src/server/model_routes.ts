// The routes of one served model, under its prefix ('' or /models/<name>): POST /score, /detect,
// /encode, /reconstruct, /impute (the ones its kind supports) and GET /model. The row operations
// go through one micro-batcher each, so concurrent requests share a predict.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { imputeTable } from '../apps/impute.js';
import { rowsToTable } from '../apps/tabular.js';
import { csvCell, formatTable, type Table } from '../data/table.js';
import { MicroBatcher, type BatchOptions, type RowOperation } from './micro_batcher.js';
import { RequestError } from './request_error.js';
import { requestRows, type RequestRows } from './request_rows.js';
import type { ServedModel } from './served_model.js';

export interface RouteLimits extends BatchOptions {
  /** Rows one request may hold. */
  maxRowsPerRequest: number;
}

export interface ModelRoutes {
  prefix: string;
  model: ServedModel;
  batchers: Record<string, MicroBatcher<unknown>>;
  /** POST routes this model answers, e.g. ['score', 'detect']. */
  routes: string[];
}

/** A table's cells with numeric columns as numbers (the way a JSON client sent them). */
function typedCells(model: ServedModel, t: Table): (string | number | null)[][] {
  const numeric = model.preprocessing!.columns.map((c) => c.kind === 'numeric');
  return t.rows.map((r) => r.map((v, c) => (v === '' ? null : numeric[c] ? Number(v) : v)));
}

function tableAnswer(model: ServedModel, t: Table, rows: RequestRows) {
  const cells = typedCells(model, t);
  return rows.style === 'objects'
    ? { rows: cells.map((r) => Object.fromEntries(t.columns.map((c, j) => [c, r[j]]))) }
    : { columns: t.columns, rows: cells };
}

const wantsCsv = (req: FastifyRequest) => (req.headers.accept ?? '').includes('text/csv');

function sendCsv(reply: FastifyReply, header: string[], rows: (string | number | boolean)[][]) {
  const lines = [header.join(','), ...rows.map((r) => r.map((v) => csvCell(String(v))).join(','))];
  return reply.type('text/csv; charset=utf-8').send(lines.join('\n') + '\n');
}

export function registerModelRoutes(app: FastifyInstance, prefix: string, model: ServedModel, limits: RouteLimits) {
  const ops = model.operations;
  const batchers: Record<string, MicroBatcher<unknown>> = {};
  for (const [name, op] of Object.entries(ops) as [string, RowOperation<unknown> | undefined][])
    if (op) batchers[name] = new MicroBatcher<unknown>(op, limits);
  const rowsOf = (req: FastifyRequest) => requestRows(model, req.body, limits.maxRowsPerRequest);
  const routes: string[] = [];
  const post = (name: string, handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>) => {
    routes.push(name);
    app.post(`${prefix}/${name}`, handler);
  };

  post('score', async (req, reply) => {
    const rows = rowsOf(req);
    const scores = (await batchers['score']!.submit(rows.x, rows.mask)) as number[];
    if (wantsCsv(req))
      return sendCsv(
        reply,
        ['row', 'score'],
        scores.map((s, r) => [r, s]),
      );
    return { scores };
  });

  post('detect', async (req, reply) => {
    if (!model.threshold)
      throw new RequestError(
        409,
        `${model.dir} has no saved threshold (no training scores: saved by an older version); train it again to serve /detect`,
      );
    const rows = rowsOf(req);
    const found = (await batchers['detect']!.submit(rows.x, rows.mask)) as {
      score: number;
      anomaly: boolean;
      topFeatures: string[];
    }[];
    if (wantsCsv(req))
      return sendCsv(
        reply,
        ['row', 'score', 'anomaly', 'top_features'],
        found.map((d, r) => [r, d.score, d.anomaly ? 1 : 0, d.topFeatures.join(';')]),
      );
    return { threshold: model.threshold.value, thresholdRule: model.threshold.rule, rows: found };
  });

  if (ops.encode)
    post('encode', async (req) => {
      const rows = rowsOf(req);
      return { codes: await batchers['encode']!.submit(rows.x, rows.mask) };
    });

  if (ops.reconstruct)
    post('reconstruct', async (req) => {
      const rows = rowsOf(req);
      const out = (await batchers['reconstruct']!.submit(rows.x, rows.mask)) as Float32Array[];
      if (!model.preprocessing) return { rows: out.map((r) => Array.from(r)) };
      // A table comes back in its own columns and units, as `hourglass denoise` writes it.
      const flat = new Float32Array(out.reduce((s, r) => s + r.length, 0));
      out.forEach((r, i) => flat.set(r, i * r.length));
      return tableAnswer(model, rowsToTable(model.preprocessing, flat), rows);
    });

  if (model.autoencoder && model.preprocessing)
    // Imputation iterates to convergence over the request's own rows, so it is not batched with
    // other requests (their rows would change when it stops).
    post('impute', async (req, reply) => {
      const rows = rowsOf(req);
      const filled = imputeTable(model.autoencoder!, rows.table()!, 'the request');
      if (wantsCsv(req)) return reply.type('text/csv; charset=utf-8').send(formatTable(filled.table));
      return {
        ...tableAnswer(model, filled.table, rows),
        filledCells: filled.filledCells,
        iterations: filled.iterations,
      };
    });

  app.get(`${prefix}/model`, async () => ({
    name: model.name,
    dir: model.dir,
    ...model.summary,
    routes: routes.map((r) => `POST ${prefix}/${r}`),
    features: model.features,
    preprocessing: model.preprocessing,
    threshold: model.threshold,
    batches: Object.fromEntries(Object.entries(batchers).map(([k, b]) => [k, { batches: b.batches, rows: b.rows }])),
  }));
  return { prefix, model, batchers, routes } satisfies ModelRoutes;
}
