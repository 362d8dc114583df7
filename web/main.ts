// The playground page: pick a sample or drop a CSV, choose a member of the family, train it in a
// Web Worker with a live loss chart, then look at reconstructions, codes and anomalies; save/load.

import 'uplot/dist/uPlot.min.css';
import {
  downloadModel,
  getThreads,
  loadAutoencoderFrom,
  loadAutoencoderFromIndexedDB,
  ready,
  saveToIndexedDB,
  threadNote,
  trainInWorker,
  usesFusedMultiplyAdd,
  VariationalAutoencoder,
  type Autoencoder,
  type Bits,
  type TrainingRun,
} from '../src/browser.js';
import { codeMap, lossChart } from './charts.js';
import { COMPRESSED_FILE, compressData, showDecoded } from './compress_panel.js';
import { loadBreastCancer, loadMnistSample, tableDataset, type Dataset } from './datasets.js';
import { offerDownload } from './download.js';
import { resetMemberOptions, showMemberOptions } from './member_options.js';
import { blankCells, fillTable, filledCsv, showFilledRows, type Filled } from './missing.js';
import { trainingPlan, type Member } from './model_form.js';
import { REPORT_FILE, downloadReport } from './report_download.js';
import { rowsFor, showResults, updateRanking, type ShownResults } from './results.js';
import { drawSamples } from './vae_samples.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const input = (id: string): HTMLInputElement => $<HTMLInputElement>(id);
const button = (id: string): HTMLButtonElement => $<HTMLButtonElement>(id);
const sample = $<HTMLSelectElement>('sample'),
  member = $<HTMLSelectElement>('member');
const IDB_KEY = 'playground';

let dataset: Dataset | null = null;
let model: Autoencoder | null = null;
let shown: ShownResults | null = null;
let run: TrainingRun | null = null;
let csvFile: File | null = null;
let filled: Filled | null = null;
/** A new seed for each press of "Draw samples". */
let sampleSeed = 1;
/** While the report is written (a few seconds: its UMAP map), its button waits. */
let writingReport = false;

const chart = lossChart($('loss-chart'));
const map = codeMap($('code-map'));

/** The page's state for people (status line) and for tests (body[data-state]). */
function setState(state: 'loading' | 'ready' | 'training' | 'trained' | 'error', message: string): void {
  document.body.dataset['state'] = state;
  $('status').textContent = message;
  const busy = state === 'loading' || state === 'training';
  button('train').disabled = busy || !dataset;
  button('cancel').disabled = state !== 'training';
  button('download').disabled = button('save-idb').disabled = busy || !model;
  button('blank').disabled = busy;
  // What acts on the model's results for the data shown (hidden with them when the data changes).
  button('compress-download').disabled = input('compressed-file').disabled = busy || !shown;
  button('draw-samples').disabled = busy || !shown;
  button('download-report').disabled = busy || !shown || writingReport;
  button('download-filled').disabled = busy || !filled;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Hides what the model showed on the previous data. */
function hideResults(): void {
  shown = null;
  filled = null;
  $('report-status').textContent = '';
  for (const id of ['results', 'fill', 'vae', 'compress']) $(id).hidden = true;
}

function adoptModel(ae: Autoencoder): void {
  if (model && model !== ae) model.dispose();
  model = ae;
  hideResults();
  if (!dataset) return;
  shown = showResults(ae, dataset, map);
  $('compress').hidden = false;
  for (const id of ['compress-info', 'decoded-info']) $(id).textContent = '';
  $('decoded-digits-figure').hidden = $('decoded-rows').hidden = true;
  $('vae').hidden = !(ae instanceof VariationalAutoencoder);
  $('vae-images').hidden = $('vae-rows').hidden = true;
  if (dataset.kind === 'table' && dataset.missingCells > 0) showFilled(ae, dataset);
}

/** Fills the table's missing cells and shows them (and, after the demo, how close they came). */
function showFilled(ae: Autoencoder, d: Dataset & { kind: 'table' }): void {
  $('fill').hidden = false;
  filled = fillTable(ae, d);
  const rows = showFilledRows($<HTMLTableElement>('filled-table'), d, filled.table);
  $('fill-info').textContent =
    `Filled ${filled.filledCells} missing cells in ${rows} rows (${filled.iterations} rounds of reconstruction)` +
    `${rows > 12 ? '; the first 12 rows are shown' : ''}.`;
  const score = $('fill-score');
  score.hidden = !filled.score;
  if (filled.score) {
    const s = filled.score;
    score.textContent =
      `On the ${s.cells} blanked cells, the root mean squared error (in standard deviations of each column) is ` +
      `${s.filled.toFixed(3)} for the filled values and ${s.columnMeans.toFixed(3)} for the column means.`;
    score.dataset['filled'] = String(s.filled);
    score.dataset['means'] = String(s.columnMeans);
  }
}

function describe(d: Dataset): string {
  if (d.kind === 'images') return `${d.name}: ${d.height}×${d.width} pixels, labels 0-9.`;
  const blanked = d.truth ? ' (blanked by the demo)' : '';
  return (
    `${d.name}${d.labelColumn ? `; '${d.labelColumn}' is kept out of training and colours the map` : ''}` +
    `${d.missingCells ? `; ${d.missingCells} missing cells${blanked} start at their column's mean, are left out of the loss, and are filled after training` : ''}.`
  );
}

/** Presets that train well on each kind of data. */
function applyDefaults(d: Dataset): void {
  const table = d.kind === 'table';
  input('hidden').value = table ? '16' : '128';
  input('latent').value = table ? '4' : '16';
  input('epochs').value = table ? '60' : '10';
  input('batch').value = table ? '32' : '64';
  const conv = member.querySelector<HTMLOptionElement>('option[value="conv"]')!;
  conv.disabled = table;
  if (table && member.value === 'conv') member.value = 'dense';
  resetMemberOptions(d.kind);
  updateMemberFields();
}

function updateMemberFields(): void {
  showMemberOptions(member.value as Member, dataset?.kind ?? 'images');
  const conv = member.value === 'conv';
  input('hidden').disabled = conv;
  $('latent-label').textContent = conv ? 'Code channels (code is 4×4×c)' : 'Code size';
  if (conv && Number(input('latent').value) > 8) input('latent').value = '8';
}

async function pickDataset(): Promise<void> {
  setState('loading', 'Loading the data…');
  try {
    if (sample.value === 'csv' && !csvFile) throw new Error('pick a CSV file first');
    dataset =
      sample.value === 'mnist'
        ? await loadMnistSample()
        : sample.value === 'csv'
          ? tableDataset(await csvFile!.text(), csvFile!.name)
          : await loadBreastCancer();
    const d = dataset;
    hideResults();
    $('data-info').textContent = describe(d);
    $('blank-demo').hidden = d.kind !== 'table';
    applyDefaults(d);
    setState('ready', 'Ready: press Train.');
  } catch (e) {
    dataset = null;
    setState('error', `Cannot use this data: ${messageOf(e)}`);
  }
}

async function train(): Promise<void> {
  if (!dataset) return;
  const d = dataset;
  let plan;
  try {
    plan = trainingPlan(
      {
        member: member.value as Member,
        hidden: input('hidden').value,
        latent: input('latent').value,
        epochs: input('epochs').value,
        batch: input('batch').value,
        lr: input('lr').value,
        noise: input('noise').value,
        l1: input('l1').value,
        beta: input('beta').value,
      },
      d.kind === 'images' ? [d.height, d.width] : null,
    );
  } catch (e) {
    setState('error', messageOf(e));
    return;
  }
  chart.reset();
  $('final-loss').textContent = '–';
  $('speed').textContent = '– samples/s';
  const trainRows = d.x.shape[0]! - Math.floor(d.x.shape[0]! * (plan.fit.validationSplit ?? 0));
  const epochs = plan.fit.epochs ?? 1;
  setState('training', `Training: epoch 1 of ${epochs}…`);
  const started = performance.now();
  const worker = new Worker(new URL('./train_worker.js', import.meta.url), { type: 'module' });
  run = trainInWorker(worker, plan.spec, d.x, {
    ...plan.fit,
    // Missing cells (at their column's mean in x) add nothing to the loss.
    ...(d.kind === 'table' && d.missingCells > 0 ? { mask: d.mask } : {}),
    onEpochEnd: (epoch, logs) => {
      const loss = logs['loss']!;
      chart.add(epoch, loss, logs['val_loss']);
      const speed = (trainRows * (epoch + 1)) / ((performance.now() - started) / 1000);
      const final = $('final-loss');
      final.textContent = `training ${loss.toPrecision(4)}${logs['val_loss'] === undefined ? '' : `, validation ${logs['val_loss'].toPrecision(4)}`}`;
      final.dataset['value'] = String(loss);
      $('speed').textContent = `${Math.round(speed).toLocaleString('en')} samples/s`;
      if (epoch + 1 < epochs) setState('training', `Training: epoch ${epoch + 2} of ${epochs}…`);
    },
  });
  try {
    const { autoencoder } = await run.result;
    // Saved with the model (as fitTable does), so that a loaded model reads the table by column name.
    if (d.kind === 'table') autoencoder.extra['preprocessing'] = d.preprocessing;
    adoptModel(autoencoder);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    setState('trained', `Trained a ${autoencoder.kind} autoencoder for ${epochs} epochs in ${seconds} s.`);
  } catch (e) {
    setState(dataset ? 'error' : 'ready', messageOf(e));
  } finally {
    worker.terminate();
    run = null;
  }
}

/** The library's report of the model on the data shown, as a download. */
async function writeReport(): Promise<void> {
  if (!model || !dataset || !shown || writingReport) return;
  const status = $('report-status');
  writingReport = true;
  button('download-report').disabled = true;
  status.textContent = 'Writing the report…';
  const started = performance.now();
  try {
    // A frame first, so that the message shows before the report's work holds the page.
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const bytes = await downloadReport(model, dataset);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    status.textContent = `Offered ${REPORT_FILE} (${(bytes / 1e6).toFixed(2)} MB, written in ${seconds} s) as a download.`;
  } catch (e) {
    status.textContent = `Cannot write the report: ${messageOf(e)}`;
  } finally {
    writingReport = false;
    button('download-report').disabled = !shown;
  }
}

async function load(from: () => Promise<Autoencoder>, what: string): Promise<void> {
  try {
    const ae = await from();
    adoptModel(ae);
    $('save-status').textContent = `Loaded a ${ae.kind} autoencoder from ${what}.`;
    setState('trained', `Showing the loaded ${ae.kind} autoencoder on ${dataset?.name ?? 'no data'}.`);
  } catch (e) {
    $('save-status').textContent = `Cannot load from ${what}: ${messageOf(e)}`;
  }
}

/** Decodes a compressed file with the model and shows it beside the data. */
async function decodeFile(file: File | undefined): Promise<void> {
  if (!file || !model || !dataset || !shown) return;
  const [ae, d, error] = [model, dataset, shown.error];
  try {
    showDecoded(ae, d, rowsFor(ae, d), new Uint8Array(await file.arrayBuffer()), file.name, error);
  } catch (e) {
    $('decoded-info').textContent = `Cannot decode ${file.name}: ${messageOf(e)}`;
  }
}

function wire(): void {
  sample.addEventListener('change', () => void pickDataset());
  member.addEventListener('change', updateMemberFields);
  const useCsv = (file: File | undefined) => {
    if (!file) return;
    csvFile = file;
    const option = sample.querySelector<HTMLOptionElement>('option[value="csv"]')!;
    option.disabled = false;
    option.textContent = `Your CSV file (${file.name})`;
    sample.value = 'csv';
    void pickDataset();
  };
  input('csv-file').addEventListener('change', () => useCsv(input('csv-file').files?.[0]));
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    useCsv(e.dataTransfer?.files[0]);
  });
  button('train').addEventListener('click', () => void train());
  button('cancel').addEventListener('click', () => run?.cancel());
  button('blank').addEventListener('click', () => {
    if (dataset?.kind !== 'table') return;
    try {
      const before = dataset.missingCells;
      dataset = blankCells(dataset, 0.1, sampleSeed++);
      hideResults();
      $('data-info').textContent = describe(dataset);
      setState(
        'ready',
        `Blanked ${dataset.missingCells - before} cells: press Train to learn from the others and fill them.`,
      );
    } catch (e) {
      setState('error', `Cannot blank cells: ${messageOf(e)}`);
    }
  });
  button('download-report').addEventListener('click', () => void writeReport());
  button('download-filled').addEventListener('click', () => {
    if (dataset?.kind !== 'table' || !filled) return;
    const name = dataset.file.replace(/\.(csv|tsv|txt)$/i, '') + '-filled.csv';
    offerDownload(name, filledCsv(dataset, filled.table), 'text/csv');
  });
  button('draw-samples').addEventListener('click', () => {
    if (model instanceof VariationalAutoencoder && dataset) drawSamples(model, dataset, sampleSeed++);
  });
  button('compress-download').addEventListener('click', () => {
    if (!model || !dataset) return;
    try {
      const { bytes } = compressData(
        model,
        dataset,
        rowsFor(model, dataset),
        Number($<HTMLSelectElement>('bits').value) as Bits,
      );
      offerDownload(COMPRESSED_FILE, bytes, 'application/octet-stream');
    } catch (e) {
      $('compress-info').textContent = `Cannot compress: ${messageOf(e)}`;
    }
  });
  input('compressed-file').addEventListener('change', () => {
    const field = input('compressed-file');
    void decodeFile(field.files?.[0]);
    // Emptied, so that choosing the same file again (say, after loading a model) decodes it again.
    field.value = '';
  });
  input('threshold').addEventListener('input', () => {
    if (shown?.ranking && dataset) updateRanking(shown.ranking, dataset);
  });
  button('download').addEventListener('click', () => {
    if (!model) return;
    downloadModel(model, { filename: `hourglass-${model.kind}.zip` });
    $('save-status').textContent = `Offered hourglass-${model.kind}.zip as a download.`;
  });
  button('save-idb').addEventListener('click', () => {
    if (!model) return;
    saveToIndexedDB(model, IDB_KEY).then(
      () => ($('save-status').textContent = `Saved in this browser (IndexedDB key '${IDB_KEY}').`),
      (e: unknown) => ($('save-status').textContent = `Cannot save: ${messageOf(e)}`),
    );
  });
  button('load-idb').addEventListener(
    'click',
    () => void load(() => loadAutoencoderFromIndexedDB(IDB_KEY), 'this browser'),
  );
  input('model-file').addEventListener('change', () => {
    const files = input('model-file').files;
    if (files?.length) void load(() => loadAutoencoderFrom(files), files[0]!.name);
  });
}

async function start(): Promise<void> {
  wire();
  setState('loading', 'Starting the engine…');
  await ready();
  const threads = getThreads();
  $('engine').textContent =
    threadNote() ??
    `Engine ready: ${threads} thread${threads === 1 ? '' : 's'}${usesFusedMultiplyAdd() ? ', fused multiply-add kernels' : ''}.`;
  await pickDataset();
}

start().catch((e: unknown) => setState('error', `The page could not start: ${messageOf(e)}`));
