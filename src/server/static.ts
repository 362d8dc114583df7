// A small static file server for the playground (dist/web/): node:http on the loopback by
// default, every response cross-origin isolated (COOP/COEP) so the page may use kernel threads.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { HourglassError } from '../engine/errors.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.bin': 'application/octet-stream',
  '.map': 'application/json',
};

/** The content type a file is served with (by extension; unknown ones as bytes). */
export const contentType = (file: string): string =>
  TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

/** The built playground: dist/web/ of this package (this module sits in src/server or dist/server). */
export function defaultWebDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'web');
}

export interface StaticServerOptions {
  /** Folder to serve (default: the built playground, dist/web/). */
  dir?: string;
  /** Port (default 8080; 0 picks a free one). */
  port?: number;
  /** Address to listen on (default 127.0.0.1, this machine only). */
  host?: string;
}

export interface RunningServer {
  /** The page's address, e.g. http://127.0.0.1:8080/ */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The file a request path names inside `root`, or null when it escapes the folder or is absent. */
export function resolveRequest(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  const target = fs.existsSync(file) && fs.statSync(file).isDirectory() ? path.join(file, 'index.html') : file;
  return fs.existsSync(target) && fs.statSync(target).isFile() ? target : null;
}

/** Serves `dir` until close(); refuses a folder without index.html with what to run. */
export async function serveStaticFolder(options: StaticServerOptions = {}): Promise<RunningServer> {
  const root = path.resolve(options.dir ?? defaultWebDir());
  if (!fs.existsSync(path.join(root, 'index.html')))
    throw new HourglassError(`${root} has no index.html: the playground is not built (run npm run build)`);
  const server = http.createServer((req, res) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-cache');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const file = resolveRequest(root, url.pathname);
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': contentType(file), 'Content-Length': fs.statSync(file).size });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new HourglassError(`port must be a whole number from 0 to 65535, got ${port}`);
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new HourglassError(`port ${port} on ${host} is in use: pick another with --port`)
          : new HourglassError(`cannot listen on ${host}:${port} (${e.message})`),
      ),
    );
    server.listen(port, host, () => {
      const { port } = server.address() as AddressInfo;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shown}:${port}/`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
