// CSV/TSV records read from disk in 1 MB chunks, for streaming. csv-parse's stream parser costs
// about 90 ns a byte (11 MB/s on a loaded machine), which makes a pass over a 1 GB file take
// minutes; most data files quote nothing, so each line is split on the delimiter directly, and
// only a line holding a quote goes through csv-parse (with the lines after it until its quotes
// balance, as a quoted cell may hold line breaks). The records are what csv-parse gives with
// trim, skip_empty_lines and a strict column count.

import fs from 'node:fs';
import { parse } from '#csv-parse-sync';
import { HourglassError } from '../engine/errors.js';

const CHUNK = 1 << 20;

export interface CsvReader {
  /** Records of one pass, in groups (one group per chunk read). */
  groups(): AsyncGenerator<string[][]>;
  /** Bytes read in the current pass. */
  position(): number;
}

const needsTrim = (c: string) => c.length > 0 && (c.charCodeAt(0) <= 32 || c.charCodeAt(c.length - 1) <= 32);

function quotes(line: string): number {
  let n = 0;
  for (let i = line.indexOf('"'); i >= 0; i = line.indexOf('"', i + 1)) n++;
  return n;
}

export function csvReader(file: string, delimiter: string): CsvReader {
  let read = 0;
  return {
    position: () => read,
    async *groups() {
      read = 0;
      const fd = await fs.promises.open(file, 'r');
      const decoder = new TextDecoder('utf-8');
      const buf = new Uint8Array(CHUNK);
      let rest = '',
        line = 0,
        width = -1,
        pending: string[] = [],
        pendingQuotes = 0;
      const record = (cells: string[]): string[] => {
        if (width < 0) width = cells.length;
        else if (cells.length !== width)
          throw new HourglassError(
            `${file}: cannot parse as CSV (line ${line} has ${cells.length} cells, the first row ${width})`,
          );
        return cells;
      };
      const quoted = (text: string): string[] => {
        let rows: string[][];
        try {
          rows = parse(text, { delimiter, trim: true, relax_column_count: true });
        } catch (e) {
          throw new HourglassError(`${file}: cannot parse as CSV (${(e as Error).message}, near line ${line})`);
        }
        return rows[0] ?? [];
      };
      try {
        for (;;) {
          const { bytesRead } = await fd.read(buf, 0, CHUNK, null);
          read += bytesRead;
          const text = rest + decoder.decode(buf.subarray(0, bytesRead), { stream: bytesRead > 0 });
          const lines = text.split('\n');
          rest = bytesRead > 0 ? lines.pop()! : '';
          const out: string[][] = [];
          for (let l of lines) {
            line++;
            if (l.endsWith('\r')) l = l.slice(0, -1);
            if (pending.length) {
              pending.push(l);
              pendingQuotes += quotes(l);
              if (pendingQuotes % 2 === 0) {
                out.push(record(quoted(pending.join('\n'))));
                pending = [];
              }
              continue;
            }
            if (l === '') continue;
            if (l.includes('"')) {
              const q = quotes(l);
              if (q % 2 === 0) out.push(record(quoted(l)));
              else {
                pending = [l];
                pendingQuotes = q;
              }
              continue;
            }
            const cells = l.split(delimiter);
            for (let i = 0; i < cells.length; i++) if (needsTrim(cells[i]!)) cells[i] = cells[i]!.trim();
            out.push(record(cells));
          }
          if (out.length) yield out;
          if (bytesRead === 0) break;
        }
        if (pending.length)
          throw new HourglassError(
            `${file}: cannot parse as CSV (a quoted cell opened near line ${line} never closes)`,
          );
      } finally {
        await fd.close();
      }
    },
  };
}
