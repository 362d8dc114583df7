// Reading the HDF5 files Keras writes (model.weights.h5 inside a .keras archive, legacy .h5
// models) with jsfive: a pure-JavaScript reader, synchronous and working from the bytes alone, so
// the same code runs in Node and in a page without a wasm module or a virtual file system.
// jsfive throws strings and plain errors; here every failure is one HourglassError line.

import * as jsfive from 'jsfive';
import { HourglassError } from '../../engine/errors.js';

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export function isHdf5(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

/**
 * The file's length as its superblock records it (the end-of-file address), or null when it
 * cannot be read: a truncated file is then named as such rather than by the first group missing.
 */
function declaredLength(bytes: Uint8Array): number | null {
  const version = bytes[8];
  // Versions 0 and 1: sizes of offsets at byte 13, base address at 24 (28 in version 1), then
  // the free-space address and the end-of-file address; versions 2 and 3: sizes at 9, base at 12.
  const offsetSize = version === 0 || version === 1 ? bytes[13] : version === 2 || version === 3 ? bytes[9] : undefined;
  if (offsetSize !== 8 && offsetSize !== 4) return null;
  const base = version === 0 ? 24 : version === 1 ? 28 : 12;
  const at = base + 2 * offsetSize;
  if (bytes.length < at + offsetSize) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (o: number) => (offsetSize === 8 ? Number(view.getBigUint64(o, true)) : view.getUint32(o, true));
  const baseAddress = read(base);
  const end = read(at);
  return Number.isSafeInteger(baseAddress + end) ? baseAddress + end : null;
}

export interface H5Array {
  shape: number[];
  data: Float32Array;
}

/** One HDF5 file, read-only; `where` names it in error messages. */
export class H5File {
  private readonly root: jsfive.Group;

  constructor(
    bytes: Uint8Array,
    readonly where: string,
  ) {
    if (!isHdf5(bytes)) throw new HourglassError(`${where}: not an HDF5 file (no HDF5 signature)`);
    const declared = declaredLength(bytes);
    if (declared !== null && declared > bytes.length)
      throw new HourglassError(`${where}: the HDF5 file is truncated (${bytes.length} of its ${declared} bytes)`);
    // jsfive indexes an ArrayBuffer of exactly the file.
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    this.root = this.guard('the file', () => new jsfive.File(buffer, where));
  }

  /** Runs a jsfive read, turning what it throws (a truncated or damaged file) into one line. */
  private guard<T>(what: string, read: () => T): T {
    try {
      return read();
    } catch (e) {
      if (e instanceof HourglassError) throw e;
      const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      throw new HourglassError(`${this.where}: cannot read ${what}, the HDF5 file is damaged or truncated (${why})`);
    }
  }

  private lookup(path: string): jsfive.Group | jsfive.Dataset | null {
    if (path === '' || path === '/') return this.root;
    const parts = path.split('/').filter((p) => p !== '');
    let at: jsfive.Group = this.root;
    for (let i = 0; i < parts.length; i++) {
      if (!at.keys.includes(parts[i]!)) return null;
      const next = this.guard(`'${parts.slice(0, i + 1).join('/')}'`, () => at.get(parts[i]!));
      if (next === null) return null;
      if (i === parts.length - 1) return next;
      if (!(next instanceof jsfive.Group)) return null;
      at = next;
    }
    return at;
  }

  has(path: string): boolean {
    return this.lookup(path) !== null;
  }

  isGroup(path: string): boolean {
    return this.lookup(path) instanceof jsfive.Group;
  }

  /** The names in a group, in the file's order (empty when there is no such group). */
  keys(path: string): string[] {
    const g = this.lookup(path);
    return g instanceof jsfive.Group ? this.guard(`'${path}'`, () => g.keys) : [];
  }

  /** The attributes of a group or dataset (empty when absent). */
  attrs(path: string): Record<string, unknown> {
    const o = this.lookup(path);
    return o ? this.guard(`the attributes of '${path || '/'}'`, () => o.attrs) : {};
  }

  /** A dataset of floats as float32 values, refused when absent or of another type. */
  floats(path: string): H5Array {
    const d = this.lookup(path);
    if (!(d instanceof jsfive.Dataset)) throw new HourglassError(`${this.where}: no dataset '${path}'`);
    return this.guard(`dataset '${path}'`, () => {
      const dtype = String(d.dtype);
      if (!/^[<>]f[248]$/.test(dtype))
        throw new HourglassError(`${this.where}: dataset '${path}' holds ${dtype} values, not floats`);
      if (d.attrs['dtype'] === 'bfloat16')
        throw new HourglassError(`${this.where}: dataset '${path}' holds bfloat16 values, which are not supported`);
      const value = d.value;
      const shape = [...d.shape];
      const data = typeof value === 'number' ? Float32Array.of(value) : Float32Array.from(value);
      const size = shape.reduce((a, b) => a * b, 1);
      if (data.length !== size)
        throw new HourglassError(
          `${this.where}: dataset '${path}' has ${data.length} values for shape [${shape.join(', ')}]`,
        );
      return { shape, data };
    });
  }
}

/** An attribute read as text (h5py stores str as UTF-8 and bytes as fixed-length strings). */
export function attrText(value: unknown): string | null {
  // Fixed-length strings come padded with NULs (h5py) or spaces (space-padded HDF5 strings).
  if (typeof value === 'string') return value.replace(/[\0 ]+$/, '');
  if (value instanceof Uint8Array) return new TextDecoder().decode(value).replace(/[\0 ]+$/, '');
  if (Array.isArray(value) && value.length === 1) return attrText(value[0]);
  return null;
}

/** An attribute read as a list of strings (layer_names, weight_names). */
export function attrStrings(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) && !ArrayBuffer.isView(value)) return null;
  const out: string[] = [];
  for (const v of Array.from(value as ArrayLike<unknown>)) {
    const s = attrText(v);
    if (s === null) return null;
    out.push(s);
  }
  return out;
}
