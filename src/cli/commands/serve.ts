// hourglass serve: model folders over HTTP (JSON or CSV): /score, /detect, /encode, /reconstruct,
// /impute, /model, /health and /openapi.json. The server is src/server/; this file reads the
// flags, prints the address, and on SIGTERM or SIGINT stops accepting, finishes the requests in
// flight and exits 0.

import { Command, InvalidArgumentError } from 'commander';
import { HourglassError } from '../../engine/errors.js';
import { setThreads } from '../../engine/threads.js';
import { loadServedModel, type ServedModel } from '../../server/served_model.js';
import { startScoringServer } from '../../server/scoring_server.js';
import { report, run } from '../output.js';
import { nonNegativeInt, positiveInt } from '../parse.js';

function port(value: string): number {
  const n = nonNegativeInt(value);
  if (n > 65535) throw new InvalidArgumentError(`expected a port from 0 to 65535, got '${value}'`);
  return n;
}

/** --models a=DIR1,b=DIR2: names that can be a URL path segment, each once. */
function namedFolders(value: string): [string, string][] {
  const pairs = value.split(',').map((part) => {
    const at = part.indexOf('=');
    const name = part.slice(0, at),
      dir = part.slice(at + 1);
    if (at < 1 || !dir || !/^[A-Za-z0-9_-]+$/.test(name))
      throw new InvalidArgumentError(
        `expected name=DIR pairs separated by commas (names of letters, digits, - and _), got '${part}'`,
      );
    return [name, dir] as [string, string];
  });
  const names = pairs.map(([n]) => n);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new InvalidArgumentError(`the name '${twice}' is given twice`);
  return pairs;
}

/**
 * One thread unless asked: the micro-batched predicts are small (hundreds of rows through a
 * small network: well under a millisecond), so handing half of each to a kernel worker costs
 * more than it saves, and a worker spinning while it waits takes the core that the HTTP work
 * (and, on a small machine, the clients) need. Under load the main thread's HTTP and JSON work
 * is the limit, not the math.
 */
function servingThreads(flag: number | undefined): number {
  if (flag !== undefined) return flag;
  const env = Number(process.env['HOURGLASS_THREADS']);
  return Number.isInteger(env) && env > 0 ? env : 1;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve model folders over HTTP: POST /score, /detect, /encode, /reconstruct, /impute (JSON or CSV)')
    .argument('[dir]', 'model or detector folder served at the root (from hourglass train)')
    .option('--models <list>', 'more folders, each under /models/<name>/: name=DIR,name=DIR', namedFolders)
    .option('--port <n>', 'port to listen on (0 picks a free one)', port, 8080)
    .option('--host <address>', 'address to listen on (127.0.0.1: this machine only)', '127.0.0.1')
    .option('--max-body <bytes>', 'largest request body', positiveInt, 1 << 20)
    .option('--max-rows <n>', 'most rows in one request', positiveInt, 10_000)
    .option('--batch-rows <n>', 'run a batch once this many rows wait', positiveInt, 512)
    .option(
      '--batch-wait <ms>',
      "or once its first row has waited this long (0: at the end of the event loop's turn)",
      nonNegativeInt,
      0,
    )
    .option('--request-timeout <ms>', 'cut off a client that takes longer to send its request', positiveInt, 10_000)
    .option('--threads <n>', 'threads per predict (default 1, or HOURGLASS_THREADS)', positiveInt)
    .option('--json', 'print one JSON object when listening')
    .action((dir: string | undefined, o) =>
      run(async () => {
        if (!dir && !o.models) throw new HourglassError('give a model folder to serve (or --models name=DIR,...)');
        setThreads(servingThreads(o.threads));
        const loaded: ServedModel[] = [];
        try {
          const root = dir ? loadServedModel('default', dir) : undefined;
          if (root) loaded.push(root);
          const named = ((o.models ?? []) as [string, string][]).map(([name, d]) => loadServedModel(name, d));
          loaded.push(...named);
          const server = await startScoringServer({
            ...(root ? { root } : {}),
            named,
            port: o.port,
            host: o.host,
            bodyLimit: o.maxBody,
            maxRowsPerRequest: o.maxRows,
            batchRows: o.batchRows,
            batchWaitMs: o.batchWait,
            requestTimeoutMs: o.requestTimeout,
          });
          const stop = () => {
            server.close().then(
              () => process.exit(0),
              () => process.exit(1),
            );
          };
          process.once('SIGTERM', stop);
          process.once('SIGINT', stop);
          report(
            o,
            [
              `serving on ${server.url}`,
              ...server.models.map(
                (m) => `  ${m.model.name} (${m.model.dir}): ${m.routes.map((r) => `POST ${m.prefix}/${r}`).join(', ')}`,
              ),
              `  GET /health, GET /openapi.json  (Ctrl+C stops it)`,
            ],
            {
              command: 'serve',
              url: server.url,
              port: server.port,
              models: server.models.map((m) => ({ name: m.model.name, prefix: m.prefix, routes: m.routes })),
            },
          );
        } catch (e) {
          for (const m of loaded) m.dispose();
          throw e;
        }
      }),
    );
}
