// The playground's data: the shipped samples (2,000 MNIST digits, the breast-cancer table) and a
// user's CSV, each as network rows with a label per row for colouring the code map.

import {
  featureNames,
  fitPreprocessing,
  parseTable,
  transformTable,
  type Table,
  type TabularPreprocessing,
  type Tensor,
} from '../src/browser.js';

export interface ImageDataset {
  kind: 'images';
  name: string;
  /** [n, height * width] pixels in [0, 1]. */
  x: Tensor;
  height: number;
  width: number;
  labels: string[];
}

export interface TableDataset {
  kind: 'table';
  name: string;
  /** The CSV file's name (for messages and the filled table's download). */
  file: string;
  /** The prepared rows (scaled numbers, one-hot categories; missing cells at the column mean). */
  x: Tensor;
  table: Table;
  preprocessing: TabularPreprocessing;
  /** The network's value names, for "worst feature". */
  features: string[];
  /** The column left out of training and used as each row's label (e.g. diagnosis), if any. */
  labelColumn: string | null;
  labels: string[] | null;
  /** Where the label column stood in the file (-1: none), to put it back in a filled table. */
  labelAt: number;
  missingCells: number;
  /** 1 observed, 0 missing per network value: training leaves the missing ones out of the loss. */
  mask: Tensor;
  /** After the blanking demo: the table as it was, to score the filled cells against. */
  truth: Table | null;
}

export type Dataset = ImageDataset | TableDataset;

async function fetchOk(url: string): Promise<Response> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`cannot load ${url} (HTTP ${r.status})`);
  return r;
}

/** The 2,000 shipped training digits (pixel bytes, then label bytes; see tools/build_web.ts). */
export async function loadMnistSample(): Promise<ImageDataset> {
  const bytes = new Uint8Array(await (await fetchOk('./mnist-2000.bin')).arrayBuffer());
  const size = 784,
    n = bytes.length / (size + 1);
  if (!Number.isInteger(n)) throw new Error('mnist-2000.bin has an unexpected size');
  const data = new Float32Array(n * size);
  for (let i = 0; i < data.length; i++) data[i] = bytes[i]! / 255;
  const labels = Array.from(bytes.subarray(n * size), String);
  return { kind: 'images', name: `MNIST (${n} digits)`, x: { data, shape: [n, size] }, height: 28, width: 28, labels };
}

const LABEL_NAMES = /^(diagnosis|label|labels|class|target|y|outcome)$/i;

/** A label column: one named like a label, else a last text column with 2 to 20 values. */
function findLabelColumn(t: Table): number {
  const named = t.columns.findIndex((c) => LABEL_NAMES.test(c.trim()));
  if (named >= 0) return named;
  const last = t.columns.length - 1;
  const values = new Set(t.rows.map((r) => r[last]!));
  const text = [...values].some((v) => v !== '' && !Number.isFinite(Number(v)));
  return text && values.size >= 2 && values.size <= 20 ? last : -1;
}

/** A CSV table prepared for training (standard scaling), its label column kept aside. */
export function tableDataset(text: string, name: string): TableDataset {
  const full = parseTable(text, name);
  const at = full.columns.length > 1 ? findLabelColumn(full) : -1;
  const table: Table =
    at < 0
      ? full
      : {
          ...full,
          columns: full.columns.filter((_, i) => i !== at),
          rows: full.rows.map((r) => r.filter((_, i) => i !== at)),
        };
  const label = at < 0 ? null : { name: full.columns[at]!, at, values: full.rows.map((r) => r[at]!) };
  return prepareDataset(table, name, label);
}

/** A table's label column, kept out of training. */
export interface LabelColumn {
  name: string;
  /** Its place among the file's columns. */
  at: number;
  values: string[];
}

/** The table's preprocessing fitted on its observed cells, and its rows prepared with it. */
export function prepareDataset(
  table: Table,
  file: string,
  label: LabelColumn | null,
  truth: Table | null = null,
): TableDataset {
  const preprocessing = fitPreprocessing(table, 'standard', file);
  const prepared = transformTable(preprocessing, table, file);
  return {
    kind: 'table',
    name: `${file} (${table.rows.length} rows, ${table.columns.length} columns)`,
    file,
    x: prepared.x,
    table,
    preprocessing,
    features: featureNames(preprocessing),
    labelColumn: label?.name ?? null,
    labels: label?.values ?? null,
    labelAt: label?.at ?? -1,
    missingCells: prepared.missingCells,
    mask: prepared.mask,
    truth,
  };
}

export async function loadBreastCancer(): Promise<TableDataset> {
  return tableDataset(await (await fetchOk('./breast_cancer.csv')).text(), 'breast_cancer.csv');
}
