// More handles on the server's listening socket, so that a burst of connections is accepted
// quickly while the event loop is busy.
//
// Why: since libuv 1.45 (Node 20) a listening handle accepts one connection per event-loop turn.
// Under load a turn answers every kept-alive client (tens of milliseconds with a thousand), so a
// thousand clients connecting at once wait in the accept queue for seconds (measured: 20-50
// accepts a second; clients time out). Each handle on its own descriptor is polled separately,
// so N handles accept N connections a turn. Node 20 has no SO_REUSEPORT (`reusePort` came in
// 22.12) and no dup(), but a handle sent over an IPC channel arrives as a new descriptor for the
// same socket: a short-lived child process sends the server's handle back to us N times.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type net from 'node:net';

// The child echoes the handle it is given back `n` times, then closes its copy and exits once the
// last message is flushed (the 'sent' message's callback; the parent waits for the exit itself).
// The handle goes both ways as a bare TCP handle (not a net.Server, which the receiver would
// start listening on: the child would then accept connections and drop them when it exits).
const ECHO_HANDLE = `process.on('message', (m, h) => {
  for (let i = 0; i < m.n; i++) process.send('handle', h);
  process.send('sent', () => { h.close(); process.exit(0); });
});`;

/** A listening server's bare TCP handle (what Node sends over IPC without listening on it). */
type BareHandle = object;

/**
 * `count` more listening servers on `server`'s socket, each handing its connections to
 * `server` (as if it had accepted them). Empty where it cannot be done (no IPC handle passing
 * on this platform, or the child did not answer within `timeoutMs`): the server still works,
 * accepting one connection a turn.
 */
export async function addAcceptHandles(server: net.Server, count: number, timeoutMs = 5000): Promise<net.Server[]> {
  if (process.platform === 'win32' || count <= 0) return [];
  const bare = (server as unknown as { _handle?: BareHandle })._handle;
  if (!bare) return [];
  const handles: net.Server[] = [];
  const child = spawn(process.execPath, ['-e', ECHO_HANDLE], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer')), timeoutMs);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      // Done once the channel has closed (every message before it has been read) and the child
      // has exited: its own copy of the socket is closed by then, so no descriptor outlives the
      // server's (nothing keeps the port listening after a close).
      let ends = 0;
      const ended = () => {
        if (++ends < 2) return;
        clearTimeout(timer);
        resolve();
      };
      child.once('disconnect', ended);
      child.once('exit', ended);
      child.on('message', (message: unknown, handle?: BareHandle) => {
        if (message !== 'handle' || !handle) return;
        const extra = createServer((socket) => server.emit('connection', socket));
        extra.listen(handle as net.ListenOptions);
        handles.push(extra);
      });
      child.send({ n: count }, bare as net.Server);
    });
  } catch {
    for (const h of handles) h.close();
    return [];
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
  return handles;
}
