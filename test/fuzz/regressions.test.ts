// Every input the fuzzer found a crash with (test/fuzz/regressions/<parser>/*.bin) replayed
// through its parser, in this process with allocations guarded: each must now be read or
// refused with a HourglassError, request no allocation over the bound, and leave no
// WebAssembly memory allocated. Inputs that used to hang (*hang*.bin) are replayed in a fuzz
// worker under its watchdog instead, so that a hang that comes back fails the test rather than
// holding it: a synchronous loop in this process would stop the test runner's own timeout.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { guardState, installAllocationGuard } from '../../tools/fuzz/guard.js';
import { crashSignatures, replayInputs } from '../../tools/fuzz/runner.js';

installAllocationGuard(256 * 2 ** 20);
// Imported after the guard, as the fuzz worker does, so fflate holds the guarded Uint8Array.
const { TARGETS } = await import('../../tools/fuzz/targets.js');
const { HourglassError } = await import('../../src/engine/errors.js');
const { arena } = await import('../../src/engine/memory.js');

const ROOT = new URL('./regressions/', import.meta.url).pathname;
const inUse = () => arena.usedBytes - arena.freeBlocks.reduce((s, b) => s + b.bytes, 0);
const USED_TO_HANG = /hang/;
const inputsOf = (parser: string, hangs: boolean) =>
  fs
    .readdirSync(path.join(ROOT, parser))
    .filter((f) => f.endsWith('.bin') && USED_TO_HANG.test(f) === hangs)
    .sort();

for (const parser of fs.readdirSync(ROOT).sort()) {
  test(`fuzz regressions: ${parser}`, async () => {
    const make = TARGETS[parser];
    assert.ok(make, `test/fuzz/regressions/${parser} names no fuzz target`);
    const target = await make();
    const files = inputsOf(parser, false);
    assert.ok(files.length + inputsOf(parser, true).length > 0);
    for (const f of files) {
      const input = new Uint8Array(fs.readFileSync(path.join(ROOT, parser, f)));
      guardState.overBound = 0;
      const before = inUse();
      try {
        await target.run(input);
      } catch (e) {
        assert.ok(e instanceof HourglassError, `${parser}/${f}: ${(e as Error).stack}`);
        assert.ok(e.message.trim().length > 0 && !e.message.includes('\n    at '), `${parser}/${f}: ${e.message}`);
      }
      assert.equal(guardState.overBound, 0, `${parser}/${f}: requested ${guardState.overBound} bytes`);
      assert.equal(inUse() - before, 0, `${parser}/${f}: WebAssembly memory left allocated`);
    }
  });
}

// A generous limit: these inputs ran for minutes (or forever) and are now refused in milliseconds;
// a loaded machine must not make a refusal look like a hang.
const HANG_LIMIT_MS = 20_000;

for (const parser of fs.readdirSync(ROOT).sort()) {
  const files = inputsOf(parser, true);
  if (!files.length) continue;
  test(`fuzz regressions that used to hang, under the watchdog: ${parser}`, async () => {
    const inputs = files.map((f) => new Uint8Array(fs.readFileSync(path.join(ROOT, parser, f))));
    const r = await replayInputs(parser, inputs, { timeLimitMs: HANG_LIMIT_MS });
    const named = crashSignatures(r.crashes).map((g) => `${files[g.first.index]}: ${g.signature}`);
    assert.deepEqual(named, [], `${parser} crashed`);
    assert.equal(r.ok + r.refused, files.length);
  });
}

// The slow JPEG above is refused by its size claim, not by jpeg-js after seconds of work: the
// claim is read from the frame header (checked against jpeg-js's own encoder's sizes).
test('JPEG frame sizes are read before decoding; claims beyond the bytes are refused', async () => {
  const { default: jpeg } = await import('jpeg-js');
  const { checkJpegSize, jpegFrameSize } = await import('../../src/data/jpeg_size.js');
  for (const [width, height] of [
    [8, 8],
    [13, 7],
    [300, 2],
  ] as const) {
    const data = Buffer.alloc(width * height * 4, 90);
    const bytes = new Uint8Array(jpeg.encode({ data, width, height }, 80).data);
    assert.deepEqual(jpegFrameSize(bytes), { width, height });
    checkJpegSize(bytes, 'ok.jpg');
  }
  const slow = new Uint8Array(fs.readFileSync(path.join(ROOT, 'jpeg/size-claim-over-bytes-slow-decode.bin')));
  assert.throws(() => checkJpegSize(slow, 'x.jpg'), /claims 6169 x 5655 pixels, more than its 667 bytes/);
});
