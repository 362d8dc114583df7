// Writing model.py: the lines of __init__ and forward, Python names, the helpers used, and the
// layout of every value (channels-last at the interface as in Hourglass; channels-first where a
// PyTorch module needs it, permuted only when needed, as the ONNX export does).

import type { Shape } from '../../layers/layer.js';
import type { Layout } from '../onnx/graph_builder.js';
import { hasChannels } from '../onnx/graph_builder.js';

export interface PyValue {
  /** The Python variable holding it. */
  name: string;
  shape: Shape;
  layout: Layout;
}

const RESERVED = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield forward training x F nn torch self'.split(
    ' ',
  ),
);

export class PyWriter {
  readonly init: string[] = [];
  readonly forward: string[] = [];
  readonly helpers = new Set<string>();
  private readonly used = new Set<string>();

  /** A unique Python identifier from a layer name. */
  identifier(base: string): string {
    let clean = base.replace(/[^A-Za-z0-9_]/g, '_');
    if (/^[0-9]/.test(clean) || RESERVED.has(clean)) clean = `layer_${clean}`;
    let name = clean,
      i = 2;
    while (this.used.has(name)) name = `${clean}_${i++}`;
    this.used.add(name);
    return name;
  }

  /** Emits `target = expr` in forward, with an optional comment line before it. */
  assign(target: string, expr: string, comment?: string): void {
    if (comment) this.forward.push(`# ${comment}`);
    this.forward.push(`${target} = ${expr}`);
  }

  channelsFirst(v: PyValue): PyValue {
    if (!hasChannels(v.shape) || v.layout === 'channelsFirst') return { ...v, layout: 'channelsFirst' };
    const r = v.shape.length + 1;
    const perm = [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)];
    this.assign(v.name, `${v.name}.permute(${perm.join(', ')})`, 'channels-last (Keras) -> channels-first (PyTorch)');
    return { ...v, layout: 'channelsFirst' };
  }

  channelsLast(v: PyValue): PyValue {
    if (!hasChannels(v.shape) || v.layout === 'channelsLast') return { ...v, layout: 'channelsLast' };
    const r = v.shape.length + 1;
    const perm = [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1];
    this.assign(v.name, `${v.name}.permute(${perm.join(', ')})`, 'channels-first -> channels-last (Keras order)');
    return { ...v, layout: 'channelsLast' };
  }

  /** The tensor axis of Keras axis `kerasAxis` (1-based, batch is 0) in this value's layout. */
  axisOf(v: PyValue, kerasAxis: number): number {
    if (v.layout === 'channelsLast' || !hasChannels(v.shape)) return kerasAxis;
    return kerasAxis === v.shape.length ? 1 : kerasAxis + 1;
  }
}

export const tuple = (v: number[]): string => (v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`);
export const pyFloat = (v: number): string => (Number.isInteger(v) ? `${v}.0` : String(v));

/**
 * F.pad's argument from per-axis [before, after] pads given first spatial axis first: F.pad lists
 * the last axis first.
 */
export const fPad = (pads: [number, number][]): string => tuple([...pads].reverse().flat());
