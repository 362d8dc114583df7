// The safetensors format (8-byte little-endian header length, JSON header, raw data) for F32
// tensors, with a CRC-32 of the data in __metadata__ so corruption is caught, not loaded.

import { HourglassError } from '../engine/errors.js';

export interface NamedTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of `bytes`; pass the CRC of the bytes before them to continue it over a stream. */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function encodeSafetensors(tensors: NamedTensor[], metadata: Record<string, string> = {}): Uint8Array {
  const dataBytes = tensors.reduce((s, t) => s + t.data.length * 4, 0);
  const data = new Uint8Array(dataBytes);
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const t of tensors) {
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    data.set(bytes, offset);
    header[t.name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
  }
  header['__metadata__'] = { ...metadata, crc32: String(crc32(data)) };
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned (allowed by the spec).
  while ((8 + json.length) % 8 !== 0) json += ' ';
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  out.set(data, 8 + headerBytes.length);
  return out;
}

export interface DecodedSafetensors {
  tensors: Map<string, NamedTensor>;
  metadata: Record<string, string>;
}

export function decodeSafetensors(bytes: Uint8Array, file: string): DecodedSafetensors {
  const bad = (why: string) => new HourglassError(`${file} is not a valid weights file: ${why}`);
  if (bytes.length < 8) throw bad(`it has only ${bytes.length} bytes (truncated?)`);
  const headerLen = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (headerLen <= 0 || 8 + headerLen > bytes.length)
    throw bad(`its header claims ${headerLen} bytes but the file has ${bytes.length} (truncated or corrupt)`);
  let header: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)),
    );
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    header = parsed as Record<string, unknown>;
  } catch (e) {
    throw bad(`its header is not valid JSON (${(e as Error).message})`);
  }
  const data = bytes.subarray(8 + headerLen);
  const metaRaw = header['__metadata__'];
  const metadata: Record<string, string> = {};
  if (metaRaw !== undefined) {
    if (typeof metaRaw !== 'object' || metaRaw === null) throw bad('__metadata__ is not an object');
    for (const [k, v] of Object.entries(metaRaw)) {
      if (typeof v !== 'string') throw bad(`metadata '${k}' is not a string`);
      metadata[k] = v;
    }
  }
  const tensors = new Map<string, NamedTensor>();
  let covered = 0;
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (e.dtype !== 'F32') throw bad(`tensor '${name}' has dtype ${String(e.dtype)}, expected F32`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0))
      throw bad(`tensor '${name}' has an invalid shape`);
    const offs = e.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isInteger(o) && o >= 0))
      throw bad(`tensor '${name}' has invalid data_offsets`);
    const [start, end] = offs as [number, number];
    const count = (e.shape as number[]).reduce((a, b) => a * b, 1);
    if (end - start !== count * 4)
      throw bad(
        `tensor '${name}' has ${end - start} bytes but shape [${(e.shape as number[]).join(', ')}] needs ${count * 4}`,
      );
    if (end > data.length)
      throw bad(`tensor '${name}' ends at byte ${end} but the data has ${data.length} (truncated)`);
    covered += end - start;
    const copy = new Uint8Array(data.subarray(start, end));
    tensors.set(name, { name, shape: e.shape as number[], data: new Float32Array(copy.buffer) });
  }
  if (covered !== data.length)
    throw bad(`its tensors cover ${covered} bytes of ${data.length} (overlapping or extra data)`);
  if (metadata['crc32'] !== undefined && String(crc32(data)) !== metadata['crc32'])
    throw bad('the data checksum does not match (the file is corrupt)');
  return { tensors, metadata };
}
