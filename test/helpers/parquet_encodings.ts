// A Parquet file in every encoding hyparquet-writer writes (delta binary packed, byte stream
// split, delta byte array, delta length byte array, plain booleans, optionally a dictionary
// column), uncompressed, with nulls: the page-check tests read it back, and the fuzzer mutates it.

import { parquetWriteBuffer } from 'hyparquet-writer';

export interface EncodingsFile {
  rows: number;
  /** Column d is i * 3 - offset. */
  offset: number;
  /** Column t is k{i % categories} (null every 9th row). */
  categories: number;
  /** Adds r, an RLE_DICTIONARY string column. */
  dictionary: boolean;
  rowGroupSize: number;
  pageSize: number;
}

export function encodingsParquet(o: EncodingsFile): Uint8Array {
  const n = o.rows;
  const columnData = [
    {
      name: 'd',
      data: Int32Array.from({ length: n }, (_, i) => i * 3 - o.offset),
      type: 'INT32',
      encoding: 'DELTA_BINARY_PACKED',
    },
    {
      name: 'b',
      data: Array.from({ length: n }, (_, i) => BigInt(i) * 1000n),
      type: 'INT64',
      encoding: 'DELTA_BINARY_PACKED',
    },
    {
      name: 's',
      data: Float64Array.from({ length: n }, (_, i) => i / 8),
      type: 'DOUBLE',
      encoding: 'BYTE_STREAM_SPLIT',
    },
    {
      name: 't',
      data: Array.from({ length: n }, (_, i) => (i % 9 ? `k${i % o.categories}` : null)),
      type: 'STRING',
      encoding: 'DELTA_BYTE_ARRAY',
    },
    {
      name: 'u',
      data: Array.from({ length: n }, (_, i) => `v${i}`),
      type: 'STRING',
      encoding: 'DELTA_LENGTH_BYTE_ARRAY',
    },
    { name: 'f', data: Array.from({ length: n }, (_, i) => (i % 7 ? i % 2 === 0 : null)), type: 'BOOLEAN' },
    ...(o.dictionary
      ? [
          {
            name: 'r',
            data: Array.from({ length: n }, (_, i) => (i % 11 ? `r${i % 3}` : null)),
            type: 'STRING',
            encoding: 'RLE_DICTIONARY',
          },
        ]
      : []),
  ];
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: columnData as never,
      rowGroupSize: o.rowGroupSize,
      pageSize: o.pageSize,
      codec: 'UNCOMPRESSED',
    }),
  );
}
