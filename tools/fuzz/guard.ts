// The allocation bound of a fuzz run: every typed array, ArrayBuffer and Buffer a parser asks for,
// and every growth of WebAssembly memory, is checked against a limit BEFORE it is allocated, so a
// header that claims 10^12 elements is caught as a crash even where the runtime could have
// served it (or where the parser catches the RangeError and wraps it). Installed in the fuzz
// worker before any parser module is imported: libraries that keep their own reference to
// Uint8Array at load time (fflate) then hold the guarded one.

export class AllocationOverBound extends Error {
  constructor(readonly bytes: number) {
    super(`an allocation of ${bytes} bytes was requested (bound ${guardState.maxBytes})`);
    this.name = 'AllocationOverBound';
  }
}

export const guardState = {
  maxBytes: 256 * 2 ** 20,
  /** The largest request over the bound since the last reset (0: none). */
  overBound: 0,
};

function check(bytes: number): void {
  if (bytes > guardState.maxBytes) {
    guardState.overBound = Math.max(guardState.overBound, bytes);
    throw new AllocationOverBound(bytes);
  }
}

const TYPED = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;

let installed = false;

export function installAllocationGuard(maxBytes: number): void {
  guardState.maxBytes = maxBytes;
  if (installed) return;
  installed = true;
  const g = globalThis as unknown as Record<string, unknown>;
  for (const name of TYPED) {
    const ctor = g[name] as { BYTES_PER_ELEMENT: number } & (new (...a: unknown[]) => unknown);
    g[name] = new Proxy(ctor, {
      construct(target, args, newTarget) {
        if (typeof args[0] === 'number') check(args[0] * ctor.BYTES_PER_ELEMENT);
        return Reflect.construct(target, args, newTarget === g[name] ? target : newTarget) as object;
      },
    });
  }
  for (const name of ['ArrayBuffer', 'SharedArrayBuffer'] as const) {
    const ctor = g[name] as new (...a: unknown[]) => unknown;
    g[name] = new Proxy(ctor, {
      construct(target, args, newTarget) {
        if (typeof args[0] === 'number') check(args[0]);
        return Reflect.construct(target, args, newTarget === g[name] ? target : newTarget) as object;
      },
    });
  }
  for (const name of ['alloc', 'allocUnsafe', 'allocUnsafeSlow'] as const) {
    const original = Buffer[name].bind(Buffer) as (size: number, ...rest: unknown[]) => Buffer;
    (Buffer as unknown as Record<string, unknown>)[name] = (size: number, ...rest: unknown[]) => {
      check(size);
      return original(size, ...rest);
    };
  }
  const memory = WebAssembly.Memory.prototype;
  const grow = Object.getOwnPropertyDescriptor(memory, 'grow')!.value as (
    this: WebAssembly.Memory,
    d: number,
  ) => number;
  memory.grow = function (this: WebAssembly.Memory, delta: number) {
    check(delta * 65536);
    return grow.call(this, delta);
  };
}
