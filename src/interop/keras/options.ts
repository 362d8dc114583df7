// Reading a Keras layer's config: typed getters, and refusals that name the layer, its class and
// the option (a value Hourglass cannot compute the same way is never dropped silently).

import { HourglassError } from '../../engine/errors.js';

export type Json = Record<string, unknown>;

/** Reads one layer's config, each refusal naming the layer, its class and the option. */
export class Options {
  constructor(
    readonly c: Json,
    readonly where: string,
  ) {}

  fail(why: string): never {
    throw new HourglassError(`${this.where}: ${why}`);
  }

  has(key: string): boolean {
    return this.c[key] !== undefined && this.c[key] !== null;
  }

  num(key: string, fallback?: number): number {
    const v = this.c[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v))
      this.fail(`option '${key}' should be a number, got ${JSON.stringify(v)}`);
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.c[key] ?? fallback;
    if (typeof v !== 'boolean') this.fail(`option '${key}' should be true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  /** An int or a list of n ints (Keras writes (3, 3) as [3, 3], 3 as 3 or [3]). */
  ints(key: string, n: number, fallback?: number | number[]): number[] {
    const v = this.c[key] ?? fallback;
    const list = typeof v === 'number' ? new Array<number>(n).fill(v) : Array.isArray(v) ? v : null;
    if (!list || list.length !== n || !list.every((x) => Number.isInteger(x)))
      this.fail(`option '${key}' should be ${n === 1 ? 'an integer' : `${n} integers`}, got ${JSON.stringify(v)}`);
    return list as number[];
  }

  /** Refused unless absent, null, or one of the values that mean "off". */
  only(key: string, ...allowed: unknown[]): void {
    const v = this.c[key];
    if (v === undefined || v === null) return;
    if (!allowed.some((a) => JSON.stringify(a) === JSON.stringify(v)))
      this.fail(
        `option ${key}=${JSON.stringify(v)} is not supported${allowed.length ? ` (only ${allowed.map((a) => JSON.stringify(a)).join(' or ')})` : ''}`,
      );
  }

  channelsLast(): void {
    this.only('data_format', 'channels_last');
  }

  noConstraints(...keys: string[]): void {
    for (const k of keys) this.only(k);
  }

  padding(allowed: string[]): string {
    const p = this.c['padding'] ?? 'valid';
    if (typeof p !== 'string' || !allowed.includes(p.toLowerCase()))
      this.fail(`option padding=${JSON.stringify(p)} is not supported (only ${allowed.join(' or ')})`);
    return p.toLowerCase();
  }

  activation(key = 'activation', fallback = 'linear'): unknown {
    return kerasActivation(this.c[key] ?? fallback, `${this.where}: ${key}`);
  }

  regularizer(key: string): { l1: number; l2: number } | undefined {
    const r = this.c[key];
    if (r === undefined || r === null) return undefined;
    const spec = typeof r === 'object' && !Array.isArray(r) ? (r as Json) : null;
    const cls = spec ? String(spec['class_name']) : typeof r === 'string' ? r : JSON.stringify(r);
    const cfg = spec && typeof spec['config'] === 'object' && spec['config'] !== null ? (spec['config'] as Json) : {};
    const get = (k: string): number => {
      const v = cfg[k];
      return typeof v === 'number' ? v : 0;
    };
    switch (cls.toLowerCase()) {
      case 'l1':
        return { l1: get('l1'), l2: 0 };
      case 'l2':
        return { l1: 0, l2: get('l2') };
      case 'l1l2':
      case 'l1_l2':
        return { l1: get('l1'), l2: get('l2') };
      default:
        return this.fail(`option ${key}: regularizer '${cls}' is not supported (only L1, L2, L1L2)`);
    }
  }
}

const ACTIVATIONS: Record<string, string> = {
  linear: 'linear',
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  softplus: 'softplus',
  elu: 'elu',
  gelu: 'gelu',
  leaky_relu: 'leakyRelu',
};

/** A Keras activation (a name, or a serialized function object) as Hourglass's name. */
export function kerasActivation(value: unknown, where: string): unknown {
  let name = value;
  // Keras 3 may serialize built-in functions as {"module": "keras.activations", "class_name": "function", "config": "relu"}.
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const o = value as Json;
    name = typeof o['config'] === 'string' ? o['config'] : o['class_name'];
  }
  if (name === null || name === undefined) return 'linear';
  const mapped = typeof name === 'string' ? ACTIVATIONS[name.toLowerCase()] : undefined;
  if (!mapped)
    throw new HourglassError(
      `${where}: activation ${JSON.stringify(name)} is not supported (supported: ${Object.keys(ACTIVATIONS).join(', ')})`,
    );
  return mapped;
}
