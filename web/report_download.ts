// "Download report": the library's report (hourglass-ae/report) of the model on the data the page
// shows, offered as report.html. The report's code (its page script with uPlot, and umap-js) is a
// chunk of its own, fetched on the first click only, so the page loads as fast as before.

import { preprocessingOf, type Autoencoder } from '../src/browser.js';
import type { Dataset } from './datasets.js';
import { offerDownload } from './download.js';

export const REPORT_FILE = 'report.html';

/** The page's label strings as the report's integer labels, numbered in sorted order (digits 0-9 as themselves). */
export function reportLabels(values: string[]): { labels: Int32Array; labelNames: string[] } {
  const labelNames = [...new Set(values)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const index = new Map(labelNames.map((n, i) => [n, i]));
  return { labels: Int32Array.from(values, (v) => index.get(v)!), labelNames };
}

/** Writes the report of `ae` on the dataset and offers it as a download; returns its size in bytes. */
export async function downloadReport(ae: Autoencoder, d: Dataset): Promise<number> {
  const { report } = await import('../src/report/index.js');
  // A model trained on the table reads it by column name (its preprocessing saved with it).
  const tableModel = d.kind === 'table' && preprocessingOf(ae) !== null;
  const html = report(ae, tableModel ? d.table : d.x, {
    title: `Hourglass playground report: ${ae.kind} autoencoder`,
    source: d.kind === 'table' ? d.file : d.name,
    ...(d.labels ? reportLabels(d.labels) : {}),
    ...(d.kind === 'images' ? { image: [d.height, d.width, 1] as [number, number, number] } : {}),
    ...(d.kind === 'table' && !tableModel && d.missingCells > 0 ? { mask: d.mask } : {}),
  });
  offerDownload(REPORT_FILE, html, 'text/html');
  return new TextEncoder().encode(html).length;
}
