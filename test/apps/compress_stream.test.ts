// Compression that streams: compressStream writes, from batches, byte for byte the container of
// the format as specified (a reference writer here, from the format's description: per-dimension
// min/max levels, 4-bit levels two to a byte, CRC-32 at the end) and what compressRows writes;
// batches of an odd count of 4-bit levels carry their half byte over; openContainer reads it back
// a batch at a time as decompressRows does, and refuses damaged, cut and foreign containers.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autoencoders, setSeed } from '../../src/index.js';
import { compressRows, decompressRows, modelFingerprint, type Bits } from '../../src/apps/compress.js';
import { compressStream, openContainer, type ByteSource } from '../../src/apps/compress_stream.js';
import { Dataset } from '../../src/data/dataset.js';
import { Random } from '../../src/engine/random.js';
import type { Tensor } from '../../src/engine/tensor.js';
import { crc32 } from '../../src/model/safetensors.js';

const rows = 301,
  width = 6;
const random = new Random(5);
const x: Tensor = { data: Float32Array.from({ length: rows * width }, () => random.normal()), shape: [rows, width] };

setSeed(2);
const ae = autoencoders.dense({ hidden: [8], latent: 3 });
await ae.fit(x, { epochs: 1, batchSize: 32, verbose: false });
setSeed(9);
const other = autoencoders.dense({ hidden: [8], latent: 3 });
await other.fit(x, { epochs: 1, batchSize: 32, seed: 9, verbose: false });

/** The container as the format describes it, written the plain way from all the codes at once. */
function referenceContainer(codes: Tensor, bits: Bits, fingerprint: number): Uint8Array {
  const n = codes.shape[0]!,
    d = codes.data.length / n,
    top = 2 ** bits - 1;
  const head = 18 + 8 * d,
    packed = Math.ceil((n * d * bits) / 8);
  const out = new Uint8Array(head + packed + 4);
  const v = new DataView(out.buffer);
  out.set([0x48, 0x47, 0x43, 0x31, 1, bits]);
  v.setUint32(6, fingerprint, true);
  v.setUint32(10, n, true);
  v.setUint32(14, d, true);
  for (let j = 0; j < d; j++) {
    const column = Array.from({ length: n }, (_, r) => codes.data[r * d + j]!);
    const lo = Math.min(...column),
      hi = Math.max(...column);
    const scale = Math.fround(hi > lo ? (hi - lo) / top : 1);
    v.setFloat32(18 + 8 * j, scale, true);
    v.setFloat32(22 + 8 * j, lo, true);
    column.forEach((c, r) => {
      const i = r * d + j,
        l = Math.round((c - lo) / scale);
      if (bits === 16) v.setUint16(head + 2 * i, l, true);
      else if (bits === 8) out[head + i] = l;
      else out[head + (i >> 1)]! |= i & 1 ? l << 4 : l;
    });
  }
  v.setUint32(out.length - 4, crc32(out.subarray(0, out.length - 4)), true);
  return out;
}

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const memorySource = (bytes: Uint8Array): ByteSource => ({
  length: bytes.length,
  read: (position, length) => bytes.subarray(position, position + length),
});
// 33 rows x 3 code values: 99 levels a batch, so at 4 bits each batch ends on half a byte.
const batches = (batchRows: number) =>
  Dataset.fromTensor(x)
    .batch(batchRows)
    .map((b) => ({ x: b }));

for (const bits of [4, 8, 16] as const) {
  test(`${bits} bits: streamed batches write the specified container, compressRows's bytes and its rebuilt rows`, async () => {
    const expected = referenceContainer(ae.encode(x), bits, modelFingerprint(ae.model));
    const whole = compressRows(ae, x, bits);
    assert.ok(Buffer.from(whole.bytes).equals(expected), 'compressRows against the reference writer');
    const parts: Uint8Array[] = [],
      rebuilt: number[] = [];
    const passes: string[] = [];
    const r = await compressStream(ae, batches(33), bits, (b) => parts.push(b.slice()), {
      onRebuilt: (_, t) => rebuilt.push(...t.data),
      onProgress: (pass, n) => passes.push(`${pass}:${n}`),
    });
    const streamed = concat(parts);
    assert.ok(Buffer.from(streamed).equals(expected), 'streamed container against the reference writer');
    assert.deepEqual({ rows: r.rows, dims: r.dims, bytes: r.bytes }, { rows, dims: 3, bytes: expected.length });
    assert.deepEqual(rebuilt, Array.from(whole.rebuilt.data));
    assert.equal(passes.at(-1), `writing:${rows}`);
    assert.ok(passes.includes(`ranges:${rows}`));

    const opened = openContainer(ae, memorySource(streamed), 'c.hgc');
    const back: number[] = [];
    for await (const t of opened.batches(50)) back.push(...t.data);
    assert.deepEqual(back, Array.from(decompressRows(ae, expected, 'c.hgc').data));
  });
}

test('openContainer refuses a cut, damaged, foreign or unknown container before decoding any row', () => {
  const good = compressRows(ae, x, 4).bytes;
  assert.throws(
    () => openContainer(ae, memorySource(good.subarray(0, good.length - 7)), 'cut.hgc'),
    /cut.hgc: .*truncated/,
  );
  const flipped = good.slice();
  flipped[40] = flipped[40]! ^ 1;
  assert.throws(() => openContainer(ae, memorySource(flipped), 'bad.hgc'), /bad.hgc: the checksum does not match/);
  assert.throws(() => openContainer(other, memorySource(good), 'other.hgc'), /different model/);
  assert.throws(() => openContainer(ae, memorySource(new Uint8Array(40)), 'zero.hgc'), /bad magic number/);
  assert.throws(() => openContainer(ae, memorySource(good.subarray(0, 10)), 'tiny.hgc'), /bad magic number/);
});

test('compressStream refuses no rows, and data whose second pass differs from its first', async () => {
  await assert.rejects(
    compressStream(
      ae,
      Dataset.fromGenerator(() => []),
      8,
      () => {},
    ),
    /no rows to compress/,
  );
  let pass = 0;
  const shrinking = Dataset.fromGenerator(function* () {
    const n = pass++ === 0 ? 100 : 60;
    yield { x: { data: x.data.subarray(0, n * width), shape: [n, width] } };
  });
  await assert.rejects(
    compressStream(ae, shrinking, 8, () => {}),
    /100 rows on its first pass, 60 on its second/,
  );
});
