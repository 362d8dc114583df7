// Checks every page of the column chunks a read will decode against the sizes the file declares,
// before hyparquet decodes them. hyparquet (1.33.0) trusts page headers: a missing level length
// makes its reader offset NaN, where every DataView read returns byte 0, and 0x00 is an RLE run of
// 0 values, so its run loop never ends; a damaged RLE run length repeats a value up to 2^31 times
// into a growing array. Here the headers are read with hyparquet's own Thrift reader, and each page must
// fit its chunk, hold the chunk's remaining values at most, and have levels and run-length encoded
// values whose runs fit their bytes and their value counts (parquet_runs.ts). The walk reads each
// page once more than hyparquet does; it allocates nothing a header asks for beyond the bound a
// compression codec can produce from the page's bytes.

import type { ColumnMetaData, FileMetaData, PageHeader, SchemaTree } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import { getMaxDefinitionLevel, getMaxRepetitionLevel, getSchemaPath, isFlatColumn } from 'hyparquet/src/schema.js';
import { checkDeltaByteArray, checkDeltaLengths, walkDeltaPacked } from './parquet_delta.js';
import { ParquetDamage, walkHybridRuns } from './parquet_runs.js';
import { checkSnappy } from './parquet_snappy.js';

// Snappy's densest element (a 3-byte copy of 64 bytes) expands 21.3 times; the rest is headroom.
const SNAPPY_MAX_RATIO = 32;

/** What a damaged header field holds, in words. */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return `a ${value === null ? 'null' : typeof value} where a count belongs`;
}

/** A header field as a non-negative safe integer (Thrift i64 fields arrive as bigints). */
function count(value: unknown, what: string): number {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    throw new ParquetDamage(`${what} is ${describe(value)}`);
  return n;
}

const bitWidth = (maxLevel: number) => 32 - Math.clz32(maxLevel);

/** Text from a damaged file (a column name, a library's message) on one printable line. */
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?').slice(0, 80);

/** The fewest bytes that n PLAIN values of a type take (booleans are bits). */
function plainBytes(type: string, n: number, typeLength: number | undefined): number {
  switch (type) {
    case 'BOOLEAN':
      return Math.ceil(n / 8);
    case 'INT32':
    case 'FLOAT':
      return 4 * n;
    case 'INT64':
    case 'DOUBLE':
      return 8 * n;
    case 'INT96':
      return 12 * n;
    case 'BYTE_ARRAY':
      return 4 * n; // a length each
    case 'FIXED_LEN_BYTE_ARRAY':
      return (typeLength ?? 0) * n;
    default:
      throw new ParquetDamage(`the column's type is ${type}`);
  }
}

interface Column {
  meta: ColumnMetaData;
  schemaPath: SchemaTree[];
  maxRep: number;
  maxDef: number;
}

/** A page's bytes after decompression, refused when the header claims more than its codec can make. */
function uncompressed(column: Column, compressed: Uint8Array, size: number, what: string): Uint8Array {
  const codec = column.meta.codec;
  if (codec === 'SNAPPY' && size > SNAPPY_MAX_RATIO * compressed.length + 64)
    throw new ParquetDamage(`${what} claims ${size} bytes, more than snappy makes of ${compressed.length}`);
  if (codec !== 'UNCOMPRESSED' && codec !== 'SNAPPY')
    throw new ParquetDamage(`its compression codec ${codec} is not one Hourglass reads (snappy or none)`);
  // hyparquet's snappy decoder can run for seconds on a damaged stream: walked first.
  if (codec === 'SNAPPY') checkSnappy(compressed, size, what === 'it' ? 'its bytes' : what);
  return decompressPage(compressed, size, codec, undefined);
}

const DICTIONARY = new Set(['PLAIN_DICTIONARY', 'RLE_DICTIONARY']);

/** The values of a page's data section: their encoding's runs or sizes must fit the section. */
function checkValues(
  column: Column,
  view: DataView,
  at: number,
  end: number,
  encoding: string,
  n: number,
  v2: boolean,
): void {
  const type = column.meta.type;
  if (encoding === 'PLAIN') {
    const need = plainBytes(type, n, column.schemaPath[column.schemaPath.length - 1]!.element.type_length);
    if (at + need > end) throw new ParquetDamage(`${n} values need ${need} bytes, the page holds ${end - at}`);
    return;
  }
  if (encoding === 'DELTA_BINARY_PACKED') return void walkDeltaPacked(view, at, end, n, 'the values');
  if (encoding === 'DELTA_LENGTH_BYTE_ARRAY') return checkDeltaLengths(view, at, end, n);
  if (encoding === 'DELTA_BYTE_ARRAY') return checkDeltaByteArray(view, at, end, n);
  // The other encodings' decoders read within the page's bytes (hyparquet's own bounds).
  if (encoding !== 'RLE' && !DICTIONARY.has(encoding)) return;
  // Booleans, 1 bit wide behind a 4-byte length, as hyparquet reads them: in a version 1 page
  // whatever the encoding, in a version 2 page an RLE one whatever the type.
  if (v2 ? encoding === 'RLE' : type === 'BOOLEAN') {
    lengthPrefixedRuns(view, at, end, 1, n, 'the boolean values');
    return;
  }
  if (at >= end) throw new ParquetDamage('the dictionary indices are missing');
  const width = view.getUint8(at);
  if (width > 32) throw new ParquetDamage(`the dictionary indices are ${width} bits wide`);
  if (width) walkHybridRuns(view, at + 1, end, width, n, 'the dictionary indices');
}

/** Runs behind a 4-byte length, as hyparquet reads them when no length is declared; returns their end. */
function lengthPrefixedRuns(
  view: DataView,
  at: number,
  end: number,
  width: number,
  n: number,
  what: string,
  match = -1,
) {
  if (at + 4 > end) throw new ParquetDamage(`${what} have no length`);
  const length = view.getUint32(at, true);
  if (at + 4 + length > end) throw new ParquetDamage(`${what} claim ${length} bytes, the page holds ${end - at - 4}`);
  const walk = walkHybridRuns(view, at + 4, at + 4 + length, width, n, what, match);
  return { end: at + 4 + length, matches: walk.matches };
}

/** A version 1 data page: levels (each behind its length) and values, all in the decompressed page. */
function checkDataPage(column: Column, header: PageHeader, compressed: Uint8Array, remaining: number): number {
  const d = header.data_page_header!;
  const n = count(d.num_values, 'num_values');
  if (n > remaining) throw new ParquetDamage(`it claims ${n} values where the column chunk has ${remaining} left`);
  const page = uncompressed(column, compressed, count(header.uncompressed_page_size, 'uncompressed_page_size'), 'it');
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  let at = 0;
  if (column.schemaPath.length > 1 && column.maxRep)
    at = lengthPrefixedRuns(view, at, page.length, bitWidth(column.maxRep), n, 'the repetition levels').end;
  let values = n;
  if (column.maxDef) {
    const levels = lengthPrefixedRuns(
      view,
      at,
      page.length,
      bitWidth(column.maxDef),
      n,
      'the definition levels',
      column.maxDef,
    );
    [at, values] = [levels.end, levels.matches];
  }
  checkValues(column, view, at, page.length, d.encoding, values, false);
  return n;
}

/** A version 2 data page: uncompressed levels of declared lengths, then the (compressed) values. */
function checkDataPageV2(column: Column, header: PageHeader, compressed: Uint8Array, remaining: number): number {
  const d = header.data_page_header_v2!;
  const n = count(d.num_values, 'num_values');
  if (n > remaining) throw new ParquetDamage(`it claims ${n} values where the column chunk has ${remaining} left`);
  const nulls = count(d.num_nulls, 'num_nulls');
  if (nulls > n) throw new ParquetDamage(`it claims ${nulls} nulls among ${n} values`);
  count(d.num_rows, 'num_rows');
  const repBytes = count(d.repetition_levels_byte_length, 'repetition_levels_byte_length');
  const defBytes = count(d.definition_levels_byte_length, 'definition_levels_byte_length');
  if (repBytes + defBytes > compressed.length)
    throw new ParquetDamage(`its levels claim ${repBytes + defBytes} bytes of its ${compressed.length}`);
  const view = new DataView(compressed.buffer, compressed.byteOffset, compressed.byteLength);
  if (column.maxRep) walkHybridRuns(view, 0, repBytes, bitWidth(column.maxRep), n, 'the repetition levels');
  if (column.maxDef)
    walkHybridRuns(view, repBytes, repBytes + defBytes, bitWidth(column.maxDef), n, 'the definition levels');
  const valuesSize = count(header.uncompressed_page_size, 'uncompressed_page_size') - repBytes - defBytes;
  if (valuesSize < 0) throw new ParquetDamage(`its levels claim more than its ${header.uncompressed_page_size} bytes`);
  let values = compressed.subarray(repBytes + defBytes);
  if (d.is_compressed !== false && valuesSize) values = uncompressed(column, values, valuesSize, 'its values');
  const valuesView = new DataView(values.buffer, values.byteOffset, values.byteLength);
  const end = DICTIONARY.has(d.encoding) ? Math.min(values.length, valuesSize) : values.length;
  checkValues(column, valuesView, 0, end, d.encoding, n - nulls, true);
  return n;
}

/** A dictionary page: PLAIN values, as many as its bytes can hold. */
function checkDictionaryPage(column: Column, header: PageHeader, compressed: Uint8Array): void {
  const n = count(header.dictionary_page_header!.num_values, 'num_values');
  const page = uncompressed(column, compressed, count(header.uncompressed_page_size, 'uncompressed_page_size'), 'it');
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  checkValues(column, view, 0, page.length, 'PLAIN', n, false);
}

/** Every page of one column chunk, as hyparquet's readColumn walks them. */
function checkChunk(column: Column, file: Uint8Array, rows: number): void {
  const meta = column.meta;
  const values = count(meta.num_values, 'its num_values');
  // Without repetition, a column holds one value (or null) per row.
  if (column.maxRep === 0 && values !== rows)
    throw new ParquetDamage(`it claims ${values} values in a row group of ${rows} rows`);
  const start = count(meta.dictionary_page_offset || meta.data_page_offset, 'its offset');
  const size = count(meta.total_compressed_size, 'its total_compressed_size');
  if (start + size > file.length) throw new ParquetDamage(`its ${size} bytes at ${start} lie beyond the file`);
  const chunk = file.subarray(start, start + size);
  const reader = { view: new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength), offset: 0 };
  const flat = isFlatColumn(column.schemaPath);
  let seen = 0;
  for (let page = 1; flat ? seen < values : reader.offset < chunk.length - 1; page++) {
    if (reader.offset >= chunk.length - 1) throw new ParquetDamage(`it ends after ${seen} of its ${values} values`);
    let header: PageHeader;
    try {
      header = parquetHeader(reader);
    } catch (e) {
      throw new ParquetDamage(`page ${page}'s header is damaged (${printable((e as Error).message)})`);
    }
    try {
      const compressedSize = count(header.compressed_page_size, 'compressed_page_size');
      if (reader.offset + compressedSize > chunk.length)
        throw new ParquetDamage(
          `it claims ${compressedSize} bytes, the column chunk holds ${chunk.length - reader.offset}`,
        );
      const body = chunk.subarray(reader.offset, reader.offset + compressedSize);
      reader.offset += compressedSize;
      if (header.type === 'DATA_PAGE' && header.data_page_header)
        seen += checkDataPage(column, header, body, values - seen);
      else if (header.type === 'DATA_PAGE_V2' && header.data_page_header_v2)
        seen += checkDataPageV2(column, header, body, values - seen);
      else if (header.type === 'DICTIONARY_PAGE' && header.dictionary_page_header)
        checkDictionaryPage(column, header, body);
      else throw new ParquetDamage(`its page type is ${header.type ?? 'missing'}, without a header hyparquet reads`);
    } catch (e) {
      if (e instanceof ParquetDamage) throw new ParquetDamage(`page ${page}: ${e.message}`);
      throw new ParquetDamage(`page ${page} is damaged (${printable((e as Error).message)})`);
    }
  }
}

/**
 * Checks the row groups that rows [start, end) fall in (all by default), before hyparquet reads
 * them; throws a ParquetDamage naming the row group, column and page.
 */
export function checkParquetPages(file: Uint8Array, meta: FileMetaData, start = 0, end = Infinity): void {
  const groupRows = meta.row_groups.map((g, i) => count(g.num_rows, `row group ${i + 1}'s num_rows`));
  const total = groupRows.reduce((a, b) => a + b, 0);
  if (total !== count(meta.num_rows, 'num_rows'))
    throw new ParquetDamage(`the row groups hold ${total} rows, the file claims ${meta.num_rows}`);
  let first = 0;
  meta.row_groups.forEach((group, g) => {
    const rows = groupRows[g]!;
    const overlaps = first < end && first + rows > start;
    first += rows;
    if (!overlaps) return;
    for (const chunk of group.columns) {
      const columnMeta = chunk.meta_data;
      const path: unknown = columnMeta?.path_in_schema;
      const name = printable(Array.isArray(path) ? path.join('.') : String(path));
      try {
        if (!columnMeta) throw new ParquetDamage('its metadata is missing');
        const schemaPath = getSchemaPath(meta.schema, columnMeta.path_in_schema);
        const column = {
          meta: columnMeta,
          schemaPath,
          maxRep: getMaxRepetitionLevel(schemaPath),
          maxDef: getMaxDefinitionLevel(schemaPath),
        };
        checkChunk(column, file, rows);
      } catch (e) {
        const why = e instanceof ParquetDamage ? e.message : `it is damaged (${printable((e as Error).message)})`;
        throw new ParquetDamage(`row group ${g + 1}, column '${name}': ${why}`);
      }
    }
  });
}
