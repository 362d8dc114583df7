// A TensorFlow.js layers-model folder as `model.save('file://...')`, tfjs's browser downloads and
// `tensorflowjs_converter --output_format tfjs_layers_model` write it: model.json holds
// `modelTopology` (the Keras model config: class_name Sequential or Model/Functional, its layers)
// and `weightsManifest`, a list of groups, each with the shard files (`paths`) whose bytes, joined
// in order, hold the group's weights one after the other in the order listed (the converter cuts
// shards at 4 MB, so a weight can straddle two files). Weights are float32, or quantized by the
// converter: uint8/uint16 with value = q * scale + min, or float16.

import { HourglassError } from '../../engine/errors.js';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale?: number; min?: number; original_dtype?: string };
}

export interface ManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

export interface TfjsModelJson {
  modelTopology: unknown;
  weightsManifest: ManifestGroup[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

/** A decoded weight: its manifest name (":0" suffixes dropped) and float32 values. */
export interface NamedWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseModelJson(text: string | object, file = 'model.json'): TfjsModelJson {
  let j: unknown = text;
  if (typeof text === 'string') {
    try {
      j = JSON.parse(text);
    } catch (e) {
      throw new HourglassError(`${file} is not JSON (${(e as Error).message})`);
    }
  }
  if (!isObject(j)) throw new HourglassError(`${file}: expected a JSON object`);
  if (j['format'] === 'graph-model' || (isObject(j['modelTopology']) && 'node' in j['modelTopology']))
    throw new HourglassError(
      `${file} is a TensorFlow.js graph model (a converted SavedModel); only layers models (Keras topology) can be imported`,
    );
  if (!isObject(j['modelTopology']))
    throw new HourglassError(`${file} has no modelTopology: not a TensorFlow.js layers model`);
  checkManifest(j['weightsManifest'] ?? [], file);
  return { ...j, weightsManifest: j['weightsManifest'] ?? [] } as unknown as TfjsModelJson;
}

const isShape = (s: unknown): s is number[] =>
  Array.isArray(s) && s.every((d) => Number.isSafeInteger(d) && (d as number) >= 0);
const isOptionalNumber = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v));

/**
 * The weights manifest's structure, checked once before anything reads it (so shardPaths and
 * decodeWeights can trust its types): a list of groups, each with its shard paths (strings) and
 * weights ({name: string, shape: non-negative integers, dtype: string, optional quantization}).
 */
function checkManifest(manifest: unknown, file: string): asserts manifest is ManifestGroup[] {
  if (!Array.isArray(manifest))
    throw new HourglassError(`${file}: weightsManifest must be a list of {paths, weights} groups`);
  manifest.forEach((g: unknown, gi) => {
    const at = `${file}: weightsManifest[${gi}]`;
    if (!isObject(g)) throw new HourglassError(`${at} must be a {paths, weights} group`);
    const paths = g['paths'];
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string'))
      throw new HourglassError(`${at}.paths must be a list of file names`);
    const weights = g['weights'];
    if (!Array.isArray(weights)) throw new HourglassError(`${at}.weights must be a list of weights`);
    weights.forEach((w: unknown, wi) => {
      const wat = `${at}.weights[${wi}]`;
      if (!isObject(w)) throw new HourglassError(`${wat} must be a {name, shape, dtype} object`);
      if (typeof w['name'] !== 'string' || w['name'] === '')
        throw new HourglassError(`${wat}.name must be a non-empty string`);
      if (!isShape(w['shape'])) throw new HourglassError(`${wat}.shape must be a list of non-negative integers`);
      if (typeof w['dtype'] !== 'string') throw new HourglassError(`${wat}.dtype must be a string`);
      const q = w['quantization'];
      if (q === undefined || q === null) return;
      if (!isObject(q) || typeof q['dtype'] !== 'string')
        throw new HourglassError(`${wat}.quantization must be an object with a dtype`);
      for (const key of ['scale', 'min'])
        if (!isOptionalNumber(q[key])) throw new HourglassError(`${wat}.quantization.${key} must be a finite number`);
    });
  });
}

/** The shard paths model.json names, in order, checked to stay inside the folder. */
export function shardPaths(m: TfjsModelJson, file = 'model.json'): string[] {
  const out: string[] = [];
  for (const g of m.weightsManifest)
    for (const p of g.paths) {
      const clean = p.replace(/^\.\//, '');
      if (clean === '' || clean.startsWith('/') || clean.split(/[\\/]/).includes('..') || /^[a-z]+:/i.test(clean))
        throw new HourglassError(`${file}: weight shard path '${p}' is not a file next to model.json`);
      out.push(clean);
    }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f,
    frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

const BYTES: Record<string, number> = { float32: 4, uint8: 1, uint16: 2, float16: 2 };

/** Decodes every weight of the manifest from the shards' bytes (by path, as shardPaths gives them). */
export function decodeWeights(m: TfjsModelJson, shards: Map<string, Uint8Array>, file = 'model.json'): NamedWeight[] {
  const out: NamedWeight[] = [];
  for (const g of m.weightsManifest) {
    const parts = g.paths.map((p) => {
      const bytes = shards.get(p.replace(/^\.\//, ''));
      if (!bytes) throw new HourglassError(`${file}: weight shard '${p}' is missing`);
      return bytes;
    });
    const total = parts.reduce((a, b) => a + b.length, 0);
    const buf = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      buf.set(p, o);
      o += p.length;
    }
    const view = new DataView(buf.buffer);
    let offset = 0;
    for (const w of g.weights) {
      const q = w.quantization;
      const stored = q ? q.dtype : w.dtype;
      if (w.dtype !== 'float32' || !(stored in BYTES))
        throw new HourglassError(
          `${file}: weight '${w.name}' is ${q ? `${w.dtype} quantized as ${q.dtype}` : w.dtype}; only float32 (plain, uint8/uint16 or float16 quantized) can be imported`,
        );
      const n = w.shape.reduce((a, b) => a * b, 1);
      const bytes = n * BYTES[stored]!;
      if (offset + bytes > total)
        throw new HourglassError(
          `${file}: the shards of '${g.paths.join(', ')}' end before weight '${w.name}' (${total} bytes, it needs up to ${offset + bytes})`,
        );
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const at = offset + i * BYTES[stored]!;
        if (stored === 'float32') data[i] = view.getFloat32(at, true);
        else if (stored === 'float16') data[i] = halfToFloat(view.getUint16(at, true));
        else {
          const v = stored === 'uint8' ? view.getUint8(at) : view.getUint16(at, true);
          data[i] = v * (q!.scale ?? 1) + (q!.min ?? 0);
        }
      }
      out.push({ name: w.name.replace(/:\d+$/, ''), shape: w.shape, data });
      offset += bytes;
    }
  }
  return out;
}
