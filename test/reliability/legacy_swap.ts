// The old folder write (before manifests), kept as a scratch copy so that tools/kill_test.ts
// (test/reliability/kill_harness.ts) --writer legacy-swap can show the kill test failing it: the folder is renamed away before the
// new one is renamed in, and a kill leaves .tmp-/.old- folders that no later save removes.

import fs from 'node:fs';
import path from 'node:path';

export function legacySwapWrite(dir: string, files: Record<string, Uint8Array>): void {
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp);
  for (const [name, content] of Object.entries(files)) {
    const fd = fs.openSync(path.join(tmp, name), 'w');
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  }
  const old = fs.existsSync(dir) ? `${dir}.old-${process.pid}-${Date.now()}` : null;
  if (old) fs.renameSync(dir, old);
  fs.renameSync(tmp, dir);
  if (old) fs.rmSync(old, { recursive: true, force: true });
}
