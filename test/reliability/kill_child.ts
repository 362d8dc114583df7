// The child of kill_harness.ts: saves versions a and b into the folder in turn until killed.
// It imports only the folder writer (no engine), so it starts fast and spends its life saving.

import fs from 'node:fs';
import path from 'node:path';
import { writeFolder } from '../../src/platform/node_folder.js';
import { legacySwapWrite } from './legacy_swap.js';

const [writer, dir, versions] = process.argv.slice(2) as [string, string, string];
const load = (v: string) =>
  Object.fromEntries(
    fs.readdirSync(path.join(versions, v)).map((n) => [n, new Uint8Array(fs.readFileSync(path.join(versions, v, n)))]),
  );
const files = [load('a'), load('b')];
const write = writer === 'legacy-swap' ? legacySwapWrite : writeFolder;
for (let i = 1; ; i++) {
  write(dir, files[i % 2]!);
  if (i === 1) process.stdout.write('saved\n');
}
