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
    .option('--json', 'print one JSON object as the last line')
    .action((dir: string, data: string, o) =>
      run(async () => {
        checkOutputPath(o.out, o.overwrite, '--out');
        const ae = loadAutoencoder(dir);
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
        const quality = images ? { psnr: psnr(x.data, rebuilt.data) } : {};
        const against = images ? '8-bit pixels' : ds.table ? 'the CSV file' : 'float32 values';
        report(
          o,
          [
            `${ds.name}: ${q.rows} rows as ${q.dims} values x ${o.bits} bits, ${file.length} bytes in ${o.out} (${(raw / file.length).toFixed(1)}x smaller than ${against})`,
            `reconstruction: mse ${mse.toPrecision(4)}${ds.table ? ' (numeric columns, original units)' : ''}${images ? `, PSNR ${quality.psnr!.toFixed(2)} dB` : ''}`,
          ],
          {
            command: 'compress',
            model: dir,
            data: ds.name,
            rows: q.rows,
            dims: q.dims,
            bits: q.bits,
            bytes: file.length,
            ratio: raw / file.length,
            mse,
            ...quality,
            out: o.out,
          },
        );
      }),
    );
}

export function decompressCommand(): Command {
  return new Command('decompress')
    .description('rebuild the rows of a file made by hourglass compress')
    .argument('<dir>', 'the model folder the file was compressed with')
    .argument('<file>', 'compressed file')
    .requiredOption('--out <file>', 'rows to write: .csv, .json or .npy (tables: .csv in their own columns)')
    .option('--overwrite', 'replace an existing --out file', false)
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
        const rebuilt = decompressRows(ae, fs.readFileSync(file), file);
        const rows = rebuilt.shape[0]!,
          dims = rebuilt.data.length / rows;
        writeFileAtomic(
          o.out,
          p ? formatTable(rowsToTable(p, rebuilt.data)) : encodeRowsFile(rebuilt.data, rows, dims, o.out, 'rows', 'x'),
        );
        report(
          o,
          [`rebuilt ${rows} rows${p ? ` of ${p.columns.length} columns` : ` of ${dims} values`} into ${o.out}`],
          { command: 'decompress', model: dir, file, rows, dims, out: o.out },
        );
      }),
    );
}
