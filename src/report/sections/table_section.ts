// Tables: the reconstruction error of every column (in the network's scaled units, and in the
// column's own units for numeric columns), and the worst rows with their worst cells; cells that
// were missing are shown with the value the model fills in, marked.

import { featureColumns, inverseRows } from '../../data/tabular_preprocessing.js';
import { isMissing } from '../../data/table.js';
import { worstRows, type RowsContext } from '../context.js';
import { escapeHtml, htmlTable, num, type Section } from '../html.js';

const WORST_ROWS = 10,
  CELLS_PER_ROW = 4,
  FILLED_SHOWN = 20;

export function tableSection(ctx: RowsContext): Section | null {
  const p = ctx.preprocessing;
  if (!p) return null;
  const { errors, rows, features } = { errors: ctx.errors.errors, rows: ctx.rows, features: ctx.features };
  const columnOf = featureColumns(p);
  const sums = new Float64Array(p.columns.length),
    counts = new Float64Array(p.columns.length),
    missing = new Float64Array(p.columns.length);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < features; j++) {
      const c = columnOf[j]!;
      if (ctx.mask && ctx.mask[r * features + j] === 0) continue;
      sums[c]! += errors[r * features + j]!;
      counts[c]!++;
    }
  const rebuilt = inverseRows(p, ctx.reconstruction);
  const cellsOf = ctx.table ? ctx.table.columns : null;
  // Error in the column's own units, against the table's observed cells.
  const rmse = p.columns.map((c, ci) => {
    if (c.kind !== 'numeric' || !ctx.table) return null;
    const at = cellsOf!.indexOf(c.name);
    let s = 0,
      n = 0;
    ctx.table.rows.forEach((row, r) => {
      if (isMissing(row[at]!)) {
        missing[ci]!++;
        return;
      }
      s += (Number(rebuilt[r]![ci]) - Number(row[at])) ** 2;
      n++;
    });
    return n ? Math.sqrt(s / n) : null;
  });
  const mse = p.columns.map((_, c) => (counts[c]! ? sums[c]! / counts[c] : 0));
  const top = Math.max(...mse, 1e-12);
  const order = p.columns.map((_, c) => c).sort((a, b) => mse[b]! - mse[a]!);
  const columnTable = htmlTable(
    ['column', 'kind', 'mean squared error (scaled)', '', 'RMSE (own units)', 'missing cells'],
    order.map((c) => [
      escapeHtml(p.columns[c]!.name),
      p.columns[c]!.kind,
      `<span class="n">${num(mse[c])}</span>`,
      `<span class="bar" data-bar="column-error" style="width:${Math.max(1, Math.round((160 * mse[c]!) / top))}px"></span>`,
      num(rmse[c]),
      String(missing[c]),
    ]),
    'column-errors',
  );

  // Each worst row's cells ranked by their error (a one-hot group's error summed over its values).
  const worst = worstRows(ctx.errors.scores, Math.min(WORST_ROWS, rows));
  const rowTable = htmlTable(
    ['row', 'score', 'worst cells (value → reconstruction)', 'filled cells (missing → model)'],
    worst.map((r) => {
      const cellError = new Float64Array(p.columns.length);
      for (let j = 0; j < features; j++) cellError[columnOf[j]!]! += errors[r * features + j]!;
      const raw = ctx.table?.rows[r];
      const original = (c: number) => (raw ? raw[cellsOf!.indexOf(p.columns[c]!.name)]! : null);
      const isGap = (c: number) => {
        const v = original(c);
        return v !== null && isMissing(v);
      };
      const bad = p.columns
        .map((_, c) => c)
        .filter((c) => !isGap(c))
        .sort((a, b) => cellError[b]! - cellError[a]!)
        .slice(0, CELLS_PER_ROW)
        .map(
          (c) =>
            `<span class="cell-bad">${escapeHtml(p.columns[c]!.name)}: ${escapeHtml(original(c) ?? '·')} → ${escapeHtml(rebuilt[r]![c]!)}</span>`,
        );
      const filled = p.columns
        .map((_, c) => c)
        .filter(isGap)
        .map((c) => `<span class="imputed">${escapeHtml(p.columns[c]!.name)}: ${escapeHtml(rebuilt[r]![c]!)}</span>`);
      return [String(r + 1), num(ctx.errors.scores[r]), bad.join('<br>'), filled.join('<br>') || '–'];
    }),
    'worst-rows',
  );
  const gaps = missing.reduce((a, b) => a + b, 0);
  // Every missing cell (the first FILLED_SHOWN) with the value the model fills in.
  const filledRows: string[][] = [];
  if (ctx.table) {
    ctx.table.rows.forEach((row, r) =>
      p.columns.forEach((c, ci) => {
        const v = row[cellsOf!.indexOf(c.name)]!;
        if (isMissing(v) && filledRows.length < FILLED_SHOWN)
          filledRows.push([
            String(r + 1),
            escapeHtml(c.name),
            `<span class="imputed">${escapeHtml(rebuilt[r]![ci]!)}</span>`,
          ]);
      }),
    );
  }
  const filledTable = filledRows.length
    ? `<h3>Missing cells and the values the model fills in${gaps > filledRows.length ? ` (the first ${filledRows.length} of ${gaps})` : ''}</h3>${htmlTable(['row', 'column', 'filled value'], filledRows, 'filled-cells')}`
    : '';
  return {
    id: 'table',
    title: 'Table',
    html: `<p>${rows.toLocaleString('en-US')} rows, ${p.columns.length} columns (${features} network values, ${p.scaling} scaling)${gaps ? `; ${gaps} missing cells, left out of the errors and filled by the model (<span class="imputed">marked</span>)` : ''}.</p><h3>Reconstruction error per column</h3>${columnTable}<h3>The ${worst.length} worst-reconstructed rows</h3>${rowTable}${filledTable}`,
    charts: [],
  };
}
