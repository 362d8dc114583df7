// hourglass playground: serves the built playground page (dist/web/) with the headers that let
// it use threads, and prints its address. The serving itself is src/server/static.ts.

import { Command, InvalidArgumentError } from 'commander';
import { serveStaticFolder } from '../../server/static.js';
import { report, run } from '../output.js';
import { nonNegativeInt } from '../parse.js';

function port(value: string): number {
  const n = nonNegativeInt(value);
  if (n > 65535) throw new InvalidArgumentError(`expected a port from 0 to 65535, got '${value}'`);
  return n;
}

export function playgroundCommand(): Command {
  return new Command('playground')
    .description('serve the playground page: train autoencoders on samples or your CSV in the browser')
    .option('--port <n>', 'port to listen on (0 picks a free one)', port, 8080)
    .option('--host <address>', 'address to listen on (127.0.0.1: this machine only)', '127.0.0.1')
    .option('--json', 'print one JSON object as the last line')
    .action((o) =>
      run(async () => {
        const server = await serveStaticFolder({ port: o.port, host: o.host });
        report(o, [`playground: ${server.url}  (Ctrl+C stops it)`], {
          command: 'playground',
          url: server.url,
          port: server.port,
        });
      }),
    );
}
