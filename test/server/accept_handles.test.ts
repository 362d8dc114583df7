// The extra accept handles: while the event loop is busy (each turn blocked for 20 ms, as under
// load), a burst of connections is taken in many a turn instead of one, every connection reaches
// the server's own 'connection' listener (none is lost to the helper process), and once the
// server and the handles are closed no descriptor keeps the socket listening.

import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { addAcceptHandles } from '../../src/server/accept_handles.js';

/** Turns of a busy loop (20 ms of work each) until `clients` connections are accepted. */
async function turnsToAccept(extra: number, clients: number): Promise<{ turns: number; answered: number }> {
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    socket.end('hello');
  });
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  const handles = await addAcceptHandles(server, extra);
  assert.equal(handles.length, extra);
  const { port } = server.address() as net.AddressInfo;
  const answers = Array.from(
    { length: clients },
    () =>
      new Promise<string>((resolve) => {
        let got = '';
        const c = net.connect(port, '127.0.0.1');
        c.on('data', (b) => (got += b.toString()));
        c.on('close', () => resolve(got));
        c.on('error', () => resolve('error'));
      }),
  );
  // The kernel completes loopback handshakes on its own: wait without yielding to the event
  // loop, so that they all queue, then run busy turns.
  const queued = performance.now();
  while (performance.now() - queued < 100);
  let turns = 0;
  while (accepted < clients && turns < 1000) {
    await new Promise((r) => setImmediate(r));
    const t = performance.now();
    while (performance.now() - t < 20);
    turns++;
  }
  const answered = (await Promise.all(answers)).filter((a) => a === 'hello').length;
  for (const h of handles) h.close();
  await new Promise((r) => server.close(r));
  return { turns, answered };
}

test('31 extra handles take in a burst of 300 connections many a turn, and every one is answered', async () => {
  const one = await turnsToAccept(0, 60);
  const many = await turnsToAccept(31, 300);
  assert.equal(many.answered, 300);
  assert.equal(one.answered, 60);
  // One handle: a connection a turn (libuv 1.45+); 32 handles: 300 in a few dozen turns at most.
  assert.ok(one.turns >= 50, `one handle accepted 60 connections in ${one.turns} turns`);
  assert.ok(many.turns <= 40, `32 handles took ${many.turns} turns for 300 connections`);
});

test('once the server and its handles close, the port refuses connections (no descriptor is left open)', async () => {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, resolve));
  const { port } = server.address() as net.AddressInfo;
  const handles = await addAcceptHandles(server, 4);
  assert.equal(handles.length, 4);
  for (const h of handles) await new Promise((r) => h.close(r));
  await new Promise((r) => server.close(r));
  // A descriptor still open anywhere (a handle, or the helper process's copy) would keep the
  // socket listening, and the kernel would complete this connection.
  const outcome = await new Promise<string>((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.on('connect', () => {
      c.destroy();
      resolve('connected');
    });
    c.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
  assert.equal(outcome, 'ECONNREFUSED');
});
