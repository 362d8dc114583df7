// Compression that streams: the same container as compressRows writes, built from batches of
// rows without holding them all. The quantization needs each code dimension's range over every
// row before the first level is written, so the rows are read twice: a first pass encodes them
// for the ranges, the second encodes them again, quantizes, packs and writes (and rebuilds them,
// for the caller's error). Memory is a batch and one row of ranges, whatever the rows.
// Decompression reads the container back a batch of rows at a time, after a checksum pass.

import { HourglassError } from '../engine/errors.js';
import type { Tensor } from '../engine/tensor.js';
import { crc32 } from '../model/safetensors.js';
import type { Autoencoder } from '../models/autoencoder.js';
import {
  CodeRange,
  containerFingerprint,
  containerHeadBytes,
  decodeContainerHead,
  encodeContainerHead,
  LevelPacker,
  modelFingerprint,
  quantizeInto,
  unpackLevels,
  type Bits,
  type ContainerHead,
} from './compress.js';

/** Rows of a batch to code rows [n, dims] (the batch size is the caller's: no progress output). */
function encodeBatch(ae: Autoencoder, x: Tensor): Tensor {
  const n = x.shape[0]!;
  const codes = ae.encoder().predict(x, { batchSize: Math.max(1, n), verbose: false });
  return { data: codes.data, shape: [n, codes.data.length / n] };
}

function dequantizeRows(levels: Uint16Array, scale: Float32Array, offset: Float32Array): Float32Array {
  const dims = scale.length;
  const out = new Float32Array(levels.length);
  for (let i = 0; i < levels.length; i++) out[i] = offset[i % dims]! + scale[i % dims]! * levels[i]!;
  return out;
}

export interface CompressStreamOptions<B> {
  /** Called with each batch and its rows as the container rebuilds them (the caller's error). */
  onRebuilt?: (batch: B, rebuilt: Tensor) => void;
  /** Rows done in each pass ('ranges' then 'writing'). */
  onProgress?: (pass: 'ranges' | 'writing', rows: number) => void;
}

export interface CompressedStream {
  rows: number;
  dims: number;
  bits: Bits;
  /** Bytes of the container written. */
  bytes: number;
}

/**
 * Writes the container of every row of `batches` (read twice: see the file comment) through
 * `write`, byte for byte what compressRows gives for the same rows. `batches` must give the same
 * rows on each pass (a Dataset from a file does).
 */
export async function compressStream<B extends { x: Tensor }>(
  ae: Autoencoder,
  batches: AsyncIterable<B>,
  bits: Bits,
  write: (bytes: Uint8Array) => void,
  o: CompressStreamOptions<B> = {},
): Promise<CompressedStream> {
  let range: CodeRange | null = null;
  let rows = 0;
  for await (const b of batches) {
    const codes = encodeBatch(ae, b.x);
    range ??= new CodeRange(codes.shape[1]!);
    range.add(codes.data);
    rows += codes.shape[0]!;
    o.onProgress?.('ranges', rows);
  }
  if (!range || rows === 0) throw new HourglassError('compress: there are no rows to compress');
  if (rows > 0xffffffff) throw new HourglassError(`compress: ${rows} rows is more than a container holds (2^32 - 1)`);
  const dims = range.dims;
  const { scale, offset } = range.quantization(bits);
  const head: ContainerHead = { bits, rows, dims, scale, offset };
  let crc = 0,
    bytes = 0;
  const emit = (chunk: Uint8Array) => {
    if (!chunk.length) return;
    crc = crc32(chunk, crc);
    bytes += chunk.length;
    write(chunk);
  };
  emit(encodeContainerHead(head, modelFingerprint(ae.model)));
  const packer = new LevelPacker(bits);
  let written = 0;
  for await (const b of batches) {
    const codes = encodeBatch(ae, b.x);
    const levels = new Uint16Array(codes.data.length);
    quantizeInto(codes.data, scale, offset, levels);
    emit(packer.pack(levels));
    const n = codes.shape[0]!;
    written += n;
    if (written > rows) break;
    if (o.onRebuilt) o.onRebuilt(b, ae.decode({ data: dequantizeRows(levels, scale, offset), shape: [n, dims] }));
    o.onProgress?.('writing', written);
  }
  if (written !== rows)
    throw new HourglassError(`compress: the data gave ${rows} rows on its first pass, ${written} on its second`);
  emit(packer.end());
  const check = new Uint8Array(4);
  new DataView(check.buffer).setUint32(0, crc, true);
  write(check);
  return { rows, dims, bits, bytes: bytes + 4 };
}

/** Random access to a container's bytes (a file on disk, or bytes in memory). */
export interface ByteSource {
  readonly length: number;
  /** `length` bytes from `position` (fewer only past the end). */
  read(position: number, length: number): Uint8Array;
}

export interface OpenedContainer extends ContainerHead {
  /** The rows rebuilt by the model's decoder, `batchRows` at a time. */
  batches(batchRows?: number): AsyncGenerator<Tensor>;
}

const CHECK_CHUNK = 4 << 20;

/**
 * Opens a container made with this model for reading in batches: its head, length, checksum
 * (one streaming pass) and fingerprint are checked first, in decompressRows's order and words.
 */
export function openContainer(ae: Autoencoder, source: ByteSource, file: string): OpenedContainer {
  const first = source.read(0, 18);
  decodeContainerHead(first, source.length, file);
  const dims = new DataView(first.buffer, first.byteOffset, first.byteLength).getUint32(14, true);
  const head = decodeContainerHead(source.read(0, containerHeadBytes(dims)), source.length, file);
  const end = source.length - 4;
  let crc = 0;
  for (let at = 0; at < end; at += CHECK_CHUNK) crc = crc32(source.read(at, Math.min(CHECK_CHUNK, end - at)), crc);
  const stored = source.read(end, 4);
  if (new DataView(stored.buffer, stored.byteOffset, 4).getUint32(0, true) !== crc)
    throw new HourglassError(`${file}: the checksum does not match (the file is corrupt)`);
  if (containerFingerprint(first) !== modelFingerprint(ae.model))
    throw new HourglassError(`${file}: it was compressed with a different model (fingerprints differ)`);
  const levelsAt = containerHeadBytes(dims);
  const { bits, rows, scale, offset } = head;
  return {
    ...head,
    async *batches(batchRows = 1024) {
      for (let r = 0; r < rows; r += batchRows) {
        const n = Math.min(batchRows, rows - r);
        const i0 = r * dims,
          i1 = (r + n) * dims;
        const from = Math.floor((i0 * bits) / 8),
          to = Math.ceil((i1 * bits) / 8);
        const levels = unpackLevels(source.read(levelsAt + from, to - from), bits, i0, i1 - i0);
        yield ae.decode({ data: dequantizeRows(levels, scale, offset), shape: [n, dims] });
      }
    },
  };
}
