// Load test of `hourglass serve` on the loopback: many concurrent clients scoring 10-row requests
// against an autoencoder on the breast-cancer table, with autocannon; meanwhile /health is polled,
// and abusive clients are sent: malformed JSON, wrong columns, an oversized body and a slow
// client that trickles its body (it must be cut off by the request timeout). Reports requests/s,
// p50/p99 latency, errors, and what each abusive client got.
//
//   node --import tsx tools/load_test.ts [--connections 1000] [--duration 30] [--model DIR]
//
// (this file is the runner; tools/load_test.ts is its command line)
//
// The server runs in its own process (the CLI, from dist/), so the load generator does not
// share its event loop.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { parseTable } from '../../src/data/table.js';
import { saveTabularModel, TABLE_FILE, breastCancer } from './serve_fixtures.js';

export interface LoadOptions {
  connections: number;
  durationS: number;
  /** A model folder trained on data/breast_cancer.csv (one is trained when absent). */
  model?: string;
  /** The server's --request-timeout, which cuts off the slow client. */
  requestTimeoutMs?: number;
  /**
   * Seconds of the same load before the measured run (autocannon's warmup; its connections are
   * closed and the measured run opens its own). 0: none.
   */
  warmUpS?: number;
}

export interface LoadReport {
  connections: number;
  durationS: number;
  warmUpS: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  health: { checks: number; failures: number; slowestMs: number };
  abuse: Record<string, string>;
  /** Batches the server ran for /score, and rows per batch on average. */
  batches: number;
  rowsPerBatch: number;
}

const BIN = fileURLToPath(new URL('../../bin/hourglass.js', import.meta.url));

async function startServer(dir: string, requestTimeoutMs: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', dir, '--port', '0', '--request-timeout', String(requestTimeoutMs), '--max-body', '65536'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /serving on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`hourglass serve exited ${code}: ${out}`)));
  });
  return { child, url };
}

async function status(url: string, body: string, type = 'application/json'): Promise<string> {
  try {
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
    return `${r.status} ${((await r.json()) as { message?: string }).message ?? ''}`;
  } catch (e) {
    return `connection cut (${(e as Error).message})`;
  }
}

/**
 * A client that sends its headers, then one byte of body every 200 ms: how it ends and how long
 * after its headers. It keeps trickling until the server cuts it off or `maxMs` passes, so that
 * an overloaded server (whose timeout checks run late) is reported with the time it took, not
 * as never cutting off. It connects first (before the load starts) and sends when `run` is
 * called: a new connection made in the middle of a thousand busy ones waits its turn to be
 * accepted (Node accepts one connection per event-loop turn), and that wait says nothing about
 * the cut-off under test.
 */
async function connectSlowClient(url: string): Promise<{ run(maxMs: number): Promise<string> }> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  let answer = '';
  socket.on('data', (b) => (answer += b.toString()));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {});
  return {
    run: (maxMs) =>
      new Promise((resolve) => {
        const started = performance.now();
        let finished = false;
        const done = (how: string) => {
          if (finished) return;
          finished = true;
          clearInterval(timer);
          socket.destroy();
          resolve(`${how} after ${Math.round(performance.now() - started)} ms`);
        };
        socket.write(
          'POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n{',
        );
        const timer = setInterval(() => {
          // On a lagging event loop the timer can fire before a close already waiting to be read:
          // setImmediate lets pending I/O run first.
          if (performance.now() - started > maxMs) setImmediate(() => done('NOT cut off'));
          else if (!socket.destroyed) socket.write(' ');
        }, 200);
        void closed.then(() => done(answer ? `answered ${answer.split('\r\n')[0]}` : 'closed'));
      }),
  };
}

/** The goal's latency bound for the full-size run (1,000 clients, two cores). */
export const P99_GOAL_MS = 100;

/**
 * What went wrong in a load run, as sentences (none when it passed): any error, timeout or
 * non-2xx answer, a failed /health poll, or an abusive client that was not refused or cut off.
 * Latency is not here: it is reported against P99_GOAL_MS, since a shared machine's speed varies.
 */
export function loadProblems(r: LoadReport): string[] {
  const problems: string[] = [];
  if (r.requests === 0) problems.push('no request was answered');
  if (r.errors > 0) problems.push(`${r.errors} errors`);
  if (r.timeouts > 0) problems.push(`${r.timeouts} timeouts`);
  if (r.non2xx > 0) problems.push(`${r.non2xx} non-2xx answers`);
  if (r.health.checks === 0) problems.push('/health was never polled');
  if (r.health.failures > 0) problems.push(`/health failed ${r.health.failures} of ${r.health.checks} polls`);
  const expected: Record<string, RegExp> = {
    malformed: /^400 .*not valid JSON/,
    wrongColumns: /^422 .*not in the model: 'colour'/,
    oversized: /^413 /,
    slow: /^(answered HTTP\/1\.1 408|closed|reset)/,
  };
  for (const [client, pattern] of Object.entries(expected)) {
    const got = r.abuse[client] ?? 'nothing';
    if (!pattern.test(got)) problems.push(`the ${client} client got "${got}"`);
  }
  return problems;
}

export async function runLoadTest(o: LoadOptions): Promise<LoadReport> {
  const requestTimeoutMs = o.requestTimeoutMs ?? 2000;
  const warmUpS = o.warmUpS ?? 0;
  let dir = o.model;
  const tmp = dir ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-load-'));
  if (!dir) {
    dir = path.join(tmp!, 'model');
    await saveTabularModel(breastCancer(), dir);
  }
  const table = parseTable(fs.readFileSync(TABLE_FILE, 'utf8'), TABLE_FILE);
  const numeric = table.columns.map((_, c) => table.rows.every((r) => Number.isFinite(Number(r[c]))));
  const rows = table.rows.slice(0, 10).map((r) => r.map((v, c) => (numeric[c] ? Number(v) : v)));
  const { child, url } = await startServer(dir, requestTimeoutMs);
  try {
    const health = { checks: 0, failures: 0, slowestMs: 0 };
    let running = true;
    const check = async () => {
      const t = performance.now();
      try {
        const r = await fetch(`${url}/health`);
        if (r.status !== 200) health.failures++;
        await r.text();
      } catch {
        health.failures++;
      }
      health.checks++;
      health.slowestMs = Math.max(health.slowestMs, performance.now() - t);
    };
    // The monitor's kept-alive connection and the slow client's connection are made before the
    // load, as a monitor's would be (see connectSlowClient for why).
    await check();
    // Its headers go out as the load starts; the request timeout then cuts it off mid-load.
    // Trickling for the run and 10 s after it (the whole body would take 400 s at this pace).
    const slow = (await connectSlowClient(url)).run((warmUpS + o.durationS) * 1000 + 10_000);
    const polling = (async () => {
      while (running) {
        await new Promise((r) => setTimeout(r, 250));
        await check();
      }
    })();
    const load = autocannon({
      url: `${url}/score`,
      connections: o.connections,
      duration: o.durationS,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rows }),
      ...(warmUpS > 0 ? { warmup: { connections: o.connections, duration: warmUpS } } : {}),
    });
    // The abusive clients, in the middle of the load.
    await new Promise((r) => setTimeout(r, Math.min(1000, (o.durationS * 1000) / 4)));
    const row = rows[0]!;
    const [malformed, wrongColumns, oversized] = await Promise.all([
      status(`${url}/score`, '{"rows": [[1, 2'),
      status(`${url}/score`, JSON.stringify({ rows: [{ colour: 'red' }] })),
      status(`${url}/score`, JSON.stringify({ rows: Array.from({ length: 400 }, () => row) })),
    ]);
    const result = await load;
    running = false;
    await polling;
    const model = (await (await fetch(`${url}/model`)).json()) as {
      batches: { score: { batches: number; rows: number } };
    };
    return {
      connections: o.connections,
      durationS: o.durationS,
      warmUpS,
      requests: result.requests.total,
      requestsPerSecond: result.requests.average,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      health,
      abuse: { malformed, wrongColumns, oversized, slow: await slow },
      batches: model.batches.score.batches,
      rowsPerBatch: model.batches.score.rows / Math.max(1, model.batches.score.batches),
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}
