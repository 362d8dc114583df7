// The arena: every tensor of every plan is a range of the one WebAssembly.Memory.
// Allocation happens at compile time only; a training step never allocates.

import { getEngine } from './kernels.js';

const ALIGN = 64;
// Below this offset lives the kernel module's static data (edge tiles etc.).
const ARENA_START = 65536;
const PAGE = 65536;

/** A float32 range of the shared memory. `view()` is valid until the next allocation. */
export class Buf {
  private cached: Float32Array | null = null;
  constructor(readonly ptr: number, readonly length: number) {}

  view(): Float32Array {
    const buffer = getEngine().memory.buffer;
    // Growing the memory replaces its buffer object, so re-view when it changed.
    if (!this.cached || this.cached.buffer !== buffer) this.cached = new Float32Array(buffer, this.ptr, this.length);
    return this.cached;
  }

  /** A sub-range of n floats starting at element offset. */
  slice(offset: number, n: number): Buf {
    return new Buf(this.ptr + offset * 4, n);
  }
}

interface Block { ptr: number; bytes: number }

class Arena {
  private top = ARENA_START;
  private free: Block[] = [];

  alloc(length: number): Buf {
    const bytes = Math.max(ALIGN, Math.ceil((length * 4) / ALIGN) * ALIGN);
    const i = this.free.findIndex((b) => b.bytes >= bytes);
    let ptr: number;
    if (i >= 0) {
      const block = this.free[i]!;
      ptr = block.ptr;
      if (block.bytes === bytes) this.free.splice(i, 1);
      else { block.ptr += bytes; block.bytes -= bytes; }
    } else {
      ptr = this.top;
      this.top += bytes;
      this.ensure(this.top);
    }
    new Float32Array(getEngine().memory.buffer, ptr, bytes / 4).fill(0);
    return new Buf(ptr, length);
  }

  release(buf: Buf): void {
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
    if (tail && tail.ptr + tail.bytes === this.top) { this.top = tail.ptr; merged.pop(); }
    this.free = merged;
  }

  private ensure(bytes: number): void {
    const memory = getEngine().memory;
    const have = memory.buffer.byteLength;
    if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE) + 16);
  }

  get usedBytes(): number { return this.top; }
}

export const arena = new Arena();

/** Allocates a buffer filled with the given values. */
export function bufFrom(values: ArrayLike<number>): Buf {
  const b = arena.alloc(values.length);
  b.view().set(values);
  return b;
}
