// Views of the one WebAssembly.Memory for the reference kernels: f32/i32/u8 access at byte offsets,
// re-viewed whenever the memory grows (growing replaces the buffer object), plus wasm's argument coercions.

/** Typed views of a WebAssembly.Memory; call `refresh()` at the start of every kernel. */
export class MemoryViews {
  private buffer: ArrayBufferLike | null = null;
  private f32View = new Float32Array(0);
  private i32View = new Int32Array(0);
  private u8View = new Uint8Array(0);

  constructor(private readonly memory: WebAssembly.Memory) {}

  /** Re-views the memory if its buffer object changed (after memory.grow). */
  refresh(): void {
    const buffer = this.memory.buffer;
    if (buffer === this.buffer) return;
    this.buffer = buffer;
    this.f32View = new Float32Array(buffer);
    this.i32View = new Int32Array(buffer);
    this.u8View = new Uint8Array(buffer);
  }

  get f32(): Float32Array {
    this.refresh();
    return this.f32View;
  }
  get i32(): Int32Array {
    this.refresh();
    return this.i32View;
  }
  get u8(): Uint8Array {
    this.refresh();
    return this.u8View;
  }

  /** memmove of `bytes` bytes from src to dst (what wasm's memory.copy does, overlap included). */
  copyBytes(dst: number, src: number, bytes: number): void {
    if (bytes <= 0) return;
    this.u8.copyWithin(dst, src, src + bytes);
  }

  /** Zeroes `floats` floats at byte offset ptr (memory.fill with 0). */
  zero(ptr: number, floats: number): void {
    if (floats <= 0) return;
    const at = index(ptr);
    this.f32.fill(0, at, at + floats);
  }
}

/**
 * The element index of a byte offset into a 4-byte view. Every pointer the engine passes is
 * 4-byte aligned (the arena aligns to 64 bytes, sub-ranges move by whole floats); a misaligned one
 * would be a bug in the caller, so it is refused rather than silently rounded.
 */
export function index(ptr: number): number {
  const p = ptr >>> 0;
  if ((p & 3) !== 0) throw new Error(`reference kernel: pointer ${p} is not 4-byte aligned`);
  return p >>> 2;
}

/** An f32 argument as the wasm function receives it. */
export const f32 = Math.fround;

/** An i32 argument as the wasm function receives it (ToInt32). */
export function i32(x: number): number {
  return x | 0;
}

/** A usize/i32 flag or pointer tested for non-zero, as `if (p)` in AssemblyScript. */
export function on(x: number): boolean {
  return (x | 0) !== 0;
}
