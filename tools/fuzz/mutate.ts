// Mutations of valid inputs, independent of what they parse: bit flips, byte and integer
// overwrites (huge, negative, boundary values in little and big endian), truncation, splices
// of two inputs, repeated or deleted ranges, numbers in text replaced by extreme ones, bytes
// that are not UTF-8, and deep nesting for JSON. Every input is a function of (seed, index)
// alone, so a crash found by a long run is regenerated from its index without storing it.

/** xorshift128+ over two 32-bit halves: fast, seedable, the same on every platform. */
export class FuzzRandom {
  private a: number;
  private b: number;
  constructor(seed: number) {
    // splitmix32 spreads small seeds (0, 1, 2 ...) over the state.
    const mix = (x: number) => {
      x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
      x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
      return (x ^ (x >>> 16)) >>> 0;
    };
    this.a = mix(seed ^ 0x9e3779b9) || 1;
    this.b = mix(this.a ^ seed) || 2;
  }
  /** A 32-bit unsigned integer. */
  next(): number {
    let s1 = this.a;
    const s0 = this.b;
    this.a = s0;
    s1 ^= s1 << 23;
    s1 ^= s1 >>> 17;
    s1 ^= s0;
    s1 ^= s0 >>> 26;
    this.b = s1;
    return (this.a + this.b) >>> 0;
  }
  /** An integer in [0, n). */
  below(n: number): number {
    return n <= 0 ? 0 : this.next() % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() / 2 ** 32 < p;
  }
}

/** The seed of input `index` of a run: one stream per (run seed, parser, index). */
export function inputSeed(runSeed: number, parser: string, index: number): number {
  let h = 2166136261 ^ runSeed;
  for (const ch of `${parser}#${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

// Integers a header can hold that break careless arithmetic: zero, one, signed and unsigned
// limits, values past 2^53, and sizes just past typical caps.
const INTERESTING_32 = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000];
const INTERESTING_32_MORE = [0xffffffff, 0xfffffffe, 0x40000000, 1e6, 1e9, 0x12345678];
const INTERESTING_64 = [0n, 1n, 2n ** 31n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n];
// Numbers written as text (JSON, CSV, the .npy header's shape tuple).
const EXTREME_TEXT = [
  '-1',
  '0',
  '-0',
  '1e12',
  '1e308',
  '1e309',
  '-1e309',
  '4294967296',
  '9007199254740993',
  '18446744073709551616',
  '2147483648',
  '-2147483649',
  '0.5',
  'NaN',
  'Infinity',
  '1e-400',
  '99999999999999999999999999',
  '1000000000',
];
// Bytes that are not valid UTF-8: a lone continuation byte, an overlong form, a truncated
// sequence, a UTF-16 surrogate encoded as UTF-8, and bytes that never occur.
const BAD_UTF8 = [
  [0x80],
  [0xc0, 0xaf],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xff],
  [0xfe, 0xff],
  [0xf4, 0x90, 0x80, 0x80],
];

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const text = new TextEncoder();
const ascii = (s: string) => text.encode(s);

type Mutator = (r: FuzzRandom, input: Uint8Array, other: Uint8Array) => Uint8Array;

const bitFlip: Mutator = (r, x) => {
  const out = x.slice();
  const flips = 1 + r.below(8);
  for (let k = 0; k < flips && out.length; k++) out[r.below(out.length)]! ^= 1 << r.below(8);
  return out;
};

const byteSet: Mutator = (r, x) => {
  const out = x.slice();
  if (out.length) out[r.below(out.length)] = r.pick([0, 0xff, 0x7f, 0x80, 0x20, 0x0a, 0x22, 0x2c, r.below(256)]);
  return out;
};

const intOverwrite: Mutator = (r, x) => {
  const out = x.slice();
  if (out.length < 8) return out;
  const v = new DataView(out.buffer);
  // Headers sit near the start: favour the first 64 bytes.
  const limit = r.chance(0.7) ? Math.min(64, out.length) : out.length;
  const little = r.chance(0.5);
  const at = r.below(limit);
  if (r.chance(0.75) && at + 4 <= out.length) {
    const value = r.chance(0.8) ? r.pick(INTERESTING_32) : r.pick(INTERESTING_32_MORE);
    v.setUint32(at, value >>> 0, little);
  } else if (at + 8 <= out.length) v.setBigUint64(at, r.pick(INTERESTING_64), little);
  else if (at + 2 <= out.length) v.setUint16(at, r.pick([0, 0xffff, 0x8000, 0x7fff]), little);
  return out;
};

const truncate: Mutator = (r, x) => x.slice(0, r.below(x.length + 1));

const dropStart: Mutator = (r, x) => x.slice(r.below(Math.min(x.length, 64) + 1));

const splice: Mutator = (r, x, y) => concat(x.slice(0, r.below(x.length + 1)), y.slice(r.below(y.length + 1)));

const repeatRange: Mutator = (r, x) => {
  if (!x.length) return x;
  const start = r.below(x.length),
    len = 1 + r.below(Math.min(64, x.length - start));
  const piece = x.slice(start, start + len);
  const copies = r.chance(0.1) ? 200 + r.below(2000) : 1 + r.below(8);
  return concat(x.slice(0, start), ...Array.from({ length: copies }, () => piece), x.slice(start));
};

const deleteRange: Mutator = (r, x) => {
  if (!x.length) return x;
  const start = r.below(x.length),
    len = 1 + r.below(Math.min(32, x.length - start));
  return concat(x.slice(0, start), x.slice(start + len));
};

/** A run of ASCII digits (with sign, point, exponent) replaced by an extreme number. */
const numberText: Mutator = (r, x) => {
  const runs: [number, number][] = [];
  for (let i = 0; i < x.length;) {
    if (x[i]! >= 0x30 && x[i]! <= 0x39) {
      let j = i;
      while (j < x.length && /[0-9.eE+-]/.test(String.fromCharCode(x[j]!))) j++;
      runs.push([i, j]);
      i = j;
    } else i++;
    if (runs.length > 4096) break;
  }
  if (!runs.length) return bitFlip(r, x, x);
  const [s, e] = r.pick(runs);
  return concat(x.slice(0, s), ascii(r.pick(EXTREME_TEXT)), x.slice(e));
};

const badUtf8: Mutator = (r, x) => {
  const at = r.below(x.length + 1);
  return concat(x.slice(0, at), Uint8Array.from(r.pick(BAD_UTF8)), x.slice(r.chance(0.5) ? at : at + 1));
};

/** Opening brackets (or a long run of them) inserted: deep nesting for JSON readers. */
const deepNesting: Mutator = (r, x) => {
  const depth = r.pick([64, 1000, 10_000, 100_000]);
  const open = r.chance(0.5) ? '[' : '{"a":';
  const at = r.below(x.length + 1);
  const closing = open === '[' ? ']' : '}';
  const tail = r.chance(0.5) ? ascii(closing.repeat(depth)) : new Uint8Array(0);
  return concat(x.slice(0, at), ascii(open.repeat(depth)), ascii('1'), tail, x.slice(at));
};

/** A structural change of a JSON document: a value replaced, a key removed, an array grown. */
const jsonValue: Mutator = (r, x) => {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(x));
  } catch {
    return numberText(r, x, x);
  }
  const nodes: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown) => {
    if (nodes.length > 5000 || v === null || typeof v !== 'object') return;
    for (const [k, child] of Object.entries(v)) {
      nodes.push({ parent: v as Record<string, unknown>, key: Array.isArray(v) ? Number(k) : k });
      walk(child);
    }
  };
  walk(doc);
  if (!nodes.length) return numberText(r, x, x);
  const { parent, key } = r.pick(nodes);
  const replacements: (() => unknown)[] = [
    () => Number(r.pick(EXTREME_TEXT)),
    () => -1 - r.below(5),
    () => 2 ** (31 + r.below(40)),
    () => '',
    () => 'x'.repeat(r.below(300)),
    () => null,
    () => [],
    () => ({}),
    () => true,
    () => [[[[[]]]]],
    () => Array.from({ length: 1 + r.below(40) }, () => r.below(1000)),
  ];
  if (r.chance(0.15) && !Array.isArray(parent)) delete parent[key as string];
  else if (r.chance(0.15) && Array.isArray(parent)) parent.push(parent[key as number]);
  else (parent as Record<string | number, unknown>)[key] = r.pick(replacements)();
  // Number(...) of 'NaN'/'Infinity' stringifies as null; keep the literal text some of the time.
  return ascii(JSON.stringify(doc) ?? '');
};

const BINARY: Mutator[] = [
  bitFlip,
  byteSet,
  intOverwrite,
  intOverwrite,
  truncate,
  dropStart,
  splice,
  repeatRange,
  deleteRange,
];
const TEXT: Mutator[] = [...BINARY, numberText, numberText, badUtf8];
const JSON_MUTATORS: Mutator[] = [...TEXT, deepNesting, jsonValue, jsonValue, jsonValue];

export type InputKind = 'binary' | 'text' | 'json';

/**
 * Input `index` of a run: a seed input (chosen by the stream) mutated one to four times; the
 * first few inputs of each seed are the seeds themselves, so a run always checks them.
 */
export function mutatedInput(
  seeds: readonly Uint8Array[],
  kind: InputKind,
  runSeed: number,
  parser: string,
  index: number,
): Uint8Array {
  if (index < seeds.length) return seeds[index]!;
  const r = new FuzzRandom(inputSeed(runSeed, parser, index));
  const mutators = kind === 'json' ? JSON_MUTATORS : kind === 'text' ? TEXT : BINARY;
  let x = r.pick(seeds);
  const rounds = 1 + r.below(r.chance(0.2) ? 4 : 2);
  for (let k = 0; k < rounds; k++) x = r.pick(mutators)(r, x, r.pick(seeds));
  return x;
}
