// Writing NumPy .npy files (format version 1.0, little-endian float32, C order) so codes can be
// loaded with numpy.load.

export function encodeNpy(data: Float32Array, shape: number[]): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  // Magic (6) + version (2) + length (2) + header + newline, padded to a multiple of 64.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // Float32Array is platform-endian; every platform Hourglass runs on is little-endian.
  out.set(bytes, total);
  return out;
}
