// The arena: every tensor of every plan is a range of the one WebAssembly.Memory.
// Allocation happens at compile time only; a training step never allocates.

import { HourglassError } from './errors.js';
import { getEngine } from './kernels.js';

const ALIGN = 64;
// Below this offset lives the kernel module's static data (edge tiles etc.).
const ARENA_START = 65536;
const PAGE = 65536;
/** The module declares at most 65536 pages: 4 GiB, the ceiling of 32-bit WebAssembly. */
export const MEMORY_LIMIT_BYTES = 65536 * PAGE;

/** A float32 range of the shared memory. `view()` is valid until the next allocation. */
export class Buf {
  private cached: Float32Array | null = null;
  /** Set when the arena takes the range back; using the buffer after that is a bug or a disposed model. */
  released = false;
  constructor(
    readonly ptr: number,
    readonly length: number,
    readonly label = '',
  ) {}

  view(): Float32Array {
    if (this.released)
      throw new HourglassError(`buffer ${this.label || `at ${this.ptr}`} was freed: its model was disposed`);
    const buffer = getEngine().memory.buffer;
    // Growing the memory replaces its buffer object, so re-view when it changed.
    if (!this.cached || this.cached.buffer !== buffer) this.cached = new Float32Array(buffer, this.ptr, this.length);
    return this.cached;
  }

  /** A sub-range of n floats starting at element offset. */
  slice(offset: number, n: number): Buf {
    return new Buf(this.ptr + offset * 4, n, this.label);
  }
}

interface Block {
  ptr: number;
  bytes: number;
}

class Arena {
  private top = ARENA_START;
  private free: Block[] = [];

  alloc(length: number, label = ''): Buf {
    if (!(Number.isSafeInteger(length) && length >= 0))
      throw new HourglassError(`${label || 'a buffer'}: cannot allocate ${length} values`);
    const bytes = Math.max(ALIGN, Math.ceil((length * 4) / ALIGN) * ALIGN);
    const i = this.free.findIndex((b) => b.bytes >= bytes);
    let ptr: number;
    if (i >= 0) {
      const block = this.free[i]!;
      ptr = block.ptr;
      if (block.bytes === bytes) this.free.splice(i, 1);
      else {
        block.ptr += bytes;
        block.bytes -= bytes;
      }
    } else {
      this.checkRoom(bytes, label || 'a buffer');
      ptr = this.top;
      this.ensure(this.top + bytes);
      this.top += bytes;
    }
    new Float32Array(getEngine().memory.buffer, ptr, bytes / 4).fill(0);
    return new Buf(ptr, length, label);
  }

  /**
   * Refuses, before anything is allocated, a request the memory cannot hold: `what` needs `bytes`
   * more than what is free now.
   */
  checkRoom(bytes: number, what: string): void {
    const free = MEMORY_LIMIT_BYTES - this.top + this.free.reduce((s, b) => s + b.bytes, 0);
    if (bytes > free) {
      throw new HourglassError(
        `${what} needs ${formatBytes(bytes)}, more than WebAssembly memory can hold ` +
          `(limit ${formatBytes(MEMORY_LIMIT_BYTES)}, ${formatBytes(this.top - ARENA_START)} in use): use a smaller model, input or batch`,
      );
    }
  }

  release(buf: Buf): void {
    if (buf.released) return;
    buf.released = true;
    const bytes = Math.max(ALIGN, Math.ceil((buf.length * 4) / ALIGN) * ALIGN);
    this.free.push({ ptr: buf.ptr, bytes });
    this.free.sort((a, b) => a.ptr - b.ptr);
    // Coalesce neighbours so repeated compile/dispose cycles do not fragment.
    const merged: Block[] = [];
    for (const b of this.free) {
      const last = merged[merged.length - 1];
      if (last && last.ptr + last.bytes === b.ptr) last.bytes += b.bytes;
      else merged.push({ ...b });
    }
    const tail = merged[merged.length - 1];
    if (tail && tail.ptr + tail.bytes === this.top) {
      this.top = tail.ptr;
      merged.pop();
    }
    this.free = merged;
  }

  private ensure(bytes: number): void {
    const memory = getEngine().memory;
    const have = memory.buffer.byteLength;
    if (bytes <= have) return;
    const pages = Math.min(Math.ceil((bytes - have) / PAGE) + 16, MEMORY_LIMIT_BYTES / PAGE - have / PAGE);
    try {
      memory.grow(pages);
    } catch {
      // A browser tab may refuse long before the 4 GiB ceiling.
      throw new HourglassError(
        `could not grow WebAssembly memory to ${formatBytes(bytes)}: the runtime refused (out of memory); use a smaller model, input or batch`,
      );
    }
  }

  /** The end of the highest allocation: what the memory must hold. */
  get usedBytes(): number {
    return this.top;
  }
  /** Free ranges below the top, coalesced (for tests of the free list). */
  get freeBlocks(): readonly Readonly<Block>[] {
    return this.free;
  }
}

export const arena = new Arena();

export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${n.toFixed(n < 10 ? 2 : 1)} ${units[u]}`;
}

/** Allocates a buffer filled with the given values. */
export function bufFrom(values: ArrayLike<number>, label = ''): Buf {
  const b = arena.alloc(values.length, label);
  b.view().set(values);
  return b;
}
