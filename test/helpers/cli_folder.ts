// The command-line tests' harness: the built CLI (bin/hourglass.js over dist/) run as a child
// process in a temporary folder of the test file's own, removed when the file's tests end.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const BIN = new URL('../../bin/hourglass.js', import.meta.url).pathname;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The last line of a command's output, parsed (what --json prints). */
export const lastJson = (s: string) => JSON.parse(s.trim().split('\n').at(-1)!) as Record<string, unknown>;

export interface CliFolder {
  /** The folder the commands run in. */
  tmp: string;
  /** A path in it. */
  at(file: string): string;
  /** A file of it, as bytes. */
  read(file: string): Buffer;
  /** `hourglass ...args` in the folder, with extra environment variables. */
  hourglass(args: string[], env?: Record<string, string>): CliResult;
  /** The same, which must exit 0 (the failure shows its stderr). */
  ok(args: string[], env?: Record<string, string>): CliResult;
  /** Asserts that two files of the folder hold the same bytes. */
  same(a: string, b: string, what: string): void;
}

/** A temporary folder named after `name`, removed after this test file's tests. */
export function cliFolder(name: string): CliFolder {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `hourglass-${name}-`));
  test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const hourglass = (args: string[], env: Record<string, string> = {}): CliResult => {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      encoding: 'utf8',
      cwd: tmp,
      env: { ...process.env, ...env },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return {
    tmp,
    at: (file) => path.join(tmp, file),
    read: (file) => fs.readFileSync(path.join(tmp, file)),
    hourglass,
    ok: (args, env) => {
      const r = hourglass(args, env);
      assert.equal(r.code, 0, r.stderr);
      return r;
    },
    same: (a, b, what) =>
      assert.ok(
        fs.readFileSync(path.join(tmp, a)).equals(fs.readFileSync(path.join(tmp, b))),
        `${what}: ${a} and ${b} differ`,
      ),
  };
}
