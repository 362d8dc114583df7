// hourglass compress / decompress: rows stored as quantized codes in a checksummed container,
// and rebuilt from it (tables in their original columns and units).

import { Command, Option } from 'commander';
import fs from 'node:fs';
import { compressRows, decompressRows, meanSquaredError, psnr, type Bits } from '../../apps/compress.js';
import { rowsToTable, tableError } from '../../apps/tabular.js';
import { checkRowsFileName, encodeRowsFile } from '../../data/rows_file.js';
import { formatTable } from '../../data/table.js';
import { HourglassError } from '../../engine/errors.js';
import { loadAutoencoder } from '../../models/kinds.js';
import { preprocessingOf } from '../../apps/tabular.js';
import { checkOutputPath, writeFileAtomic } from '../files.js';
import { DATA_HELP, rowsFor } from '../inputs.js';
import { report, run } from '../output.js';
import { STREAM_HELP, streamAbove, streamsData } from '../stream_data.js';
import { compressFileStream, decompressFileStream } from '../stream_compress.js';
import { choice } from '../parse.js';

export function compressCommand(): Command {
  return new Command('compress')
    .description('store each row as its quantized code in a small checksummed file')
    .argument('<dir>', 'model folder (from hourglass train)')
    .argument('<data>', DATA_HELP)
    .addOption(
      new Option('--bits <n>', 'bits per code value').argParser(choice(['4', '8', '16'] as const)).default('8'),
    )
    .requiredOption('--out <file>', 'compressed file to write')
    .option('--overwrite', 'replace an existing --out file', false)
    .option('--stream', STREAM_HELP)
    .option('--json', 'print one JSON object as the last line')
    .action((dir: string, data: string, o) =>
      run(async () => {
        checkOutputPath(o.out, o.overwrite, '--out');
        const ae = loadAutoencoder(dir);
        if (streamsData(data, o.stream)) {
          const c = await compressFileStream(ae, data, Number(o.bits) as Bits, o.out, !o.json);
          return reportCompressed(o, dir, data, { ...c, streamed: true });
        }
        const { ds, x, preprocessing } = await rowsFor(ae, data);
        const { bytes: file, quantized: q, rebuilt } = compressRows(ae, x, Number(o.bits) as Bits);
        writeFileAtomic(o.out, file);
        const images = ds.image !== undefined;
        // Images are compared with their 8-bit pixels, tables with their file, other data with float32 values.
        const raw = images ? x.data.length : ds.table ? fs.statSync(data).size : x.data.length * 4;
        const mse =
          preprocessing && ds.table
            ? tableError(preprocessing, ds.table, rebuilt.data)
            : meanSquaredError(x.data, rebuilt.data);
        reportCompressed(o, dir, ds.name, {
          rows: q.rows,
          dims: q.dims,
          bits: q.bits,
          bytes: file.length,
          raw,
          against: images ? '8-bit pixels' : ds.table ? 'the CSV file' : 'float32 values',
          table: Boolean(ds.table),
          mse,
          ...(images ? { psnr: psnr(x.data, rebuilt.data) } : {}),
        });
      }),
    );
}

interface Compressed {
  rows: number;
  dims: number;
  bits: number;
  bytes: number;
  raw: number;
  against: string;
  table: boolean;
  mse: number;
  psnr?: number;
  streamed?: boolean;
}

function reportCompressed(o: { out: string; bits: string; json?: boolean }, dir: string, name: string, c: Compressed) {
  const quality = c.psnr !== undefined ? { psnr: c.psnr } : {};
  report(
    o,
    [
      `${name}: ${c.rows} rows as ${c.dims} values x ${o.bits} bits, ${c.bytes} bytes in ${o.out} (${(c.raw / c.bytes).toFixed(1)}x smaller than ${c.against})`,
      `reconstruction: mse ${c.mse.toPrecision(4)}${c.table ? ' (numeric columns, original units)' : ''}${c.psnr !== undefined ? `, PSNR ${c.psnr.toFixed(2)} dB` : ''}`,
    ],
    {
      command: 'compress',
      model: dir,
      data: name,
      rows: c.rows,
      dims: c.dims,
      bits: c.bits,
      bytes: c.bytes,
      ratio: c.raw / c.bytes,
      mse: c.mse,
      ...quality,
      out: o.out,
      ...(c.streamed ? { streamed: true } : {}),
    },
  );
}

export function decompressCommand(): Command {
  return new Command('decompress')
    .description('rebuild the rows of a file made by hourglass compress')
    .argument('<dir>', 'the model folder the file was compressed with')
    .argument('<file>', 'compressed file')
    .requiredOption('--out <file>', 'rows to write: .csv, .json or .npy (tables: .csv in their own columns)')
    .option('--overwrite', 'replace an existing --out file', false)
    .option('--stream', STREAM_HELP)
    .option('--json', 'print one JSON object as the last line')
    .action((dir: string, file: string, o) =>
      run(async () => {
        checkRowsFileName(o.out, '--out');
        checkOutputPath(o.out, o.overwrite, '--out');
        const ae = loadAutoencoder(dir);
        const p = preprocessingOf(ae);
        if (p && !/\.csv$/i.test(o.out))
          throw new HourglassError(
            `--out ${o.out}: this model was trained on a table; its rows come back as a .csv file`,
          );
        if (!fs.existsSync(file)) throw new HourglassError(`${file}: no such file`);
        let rows: number, dims: number;
        if (o.stream || fs.statSync(file).size > streamAbove())
          ({ rows, dims } = await decompressFileStream(ae, file, o.out));
        else {
          const rebuilt = decompressRows(ae, fs.readFileSync(file), file);
          rows = rebuilt.shape[0]!;
          dims = rebuilt.data.length / rows;
          writeFileAtomic(
            o.out,
            p
              ? formatTable(rowsToTable(p, rebuilt.data))
              : encodeRowsFile(rebuilt.data, rows, dims, o.out, 'rows', 'x'),
          );
        }
        report(
          o,
          [`rebuilt ${rows} rows${p ? ` of ${p.columns.length} columns` : ` of ${dims} values`} into ${o.out}`],
          { command: 'decompress', model: dir, file, rows, dims, out: o.out },
        );
      }),
    );
}
