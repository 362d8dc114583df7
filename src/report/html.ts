// The report as one HTML file: styles, the chart specs as JSON and the page script (uPlot
// included) inlined, images as data URLs; nothing is fetched, so it opens offline and by e-mail.

import type { ChartSpec } from './chart_spec.js';
import { REPORT_PAGE_SCRIPT, UPLOT_CSS } from './page_source.js';

export interface Section {
  /** Also the element id, so sections can be linked (#training) and found by tests. */
  id: string;
  title: string;
  /** The section's body (already escaped HTML). */
  html: string;
  charts: ChartSpec[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** A box the page script draws chart `spec` into. */
export const chartBox = (spec: ChartSpec): string =>
  `<figure class="chart-figure"><figcaption>${escapeHtml(spec.title)}</figcaption><div class="chart" data-chart="${escapeHtml(spec.id)}"></div></figure>`;

/** A table from rows of cells (already HTML); the header cells are plain text. */
export function htmlTable(header: string[], rows: string[][], cls = ''): string {
  const head = `<tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
  return `<div class="table-wrap"><table${cls ? ` class="${cls}"` : ''}><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
}

/** A number for people: 4 significant digits, no exponent for ordinary sizes. */
export function num(v: number | undefined | null, digits = 4): string {
  if (v === undefined || v === null || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) return v.toExponential(digits - 1);
  return Number(v.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 8 });
}

/** JSON small enough to inline: floats to 5 significant digits, safe inside a <script> element. */
function inlineJson(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(5)) : v,
  );
  return text.replace(/</g, '\\u003c');
}

const STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6473; --line: #d9dde3; --accent: #4e79a7; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
header { background: #1d2330; color: #fff; padding: 20px 28px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: #c9d1dc; }
nav { padding: 8px 28px; background: #fff; border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 2; }
nav a { margin-right: 14px; color: var(--accent); text-decoration: none; white-space: nowrap; }
main { max-width: 1100px; margin: 0 auto; padding: 12px 20px 40px; }
section.report-section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px 20px; margin: 18px 0; }
section.report-section h2 { margin: 0 0 10px; font-size: 19px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 8px 16px; margin: 8px 0 12px; }
.fact { border-left: 3px solid var(--accent); padding-left: 8px; }
.fact b { display: block; font-size: 18px; }
.fact span { color: var(--muted); font-size: 13px; }
.note { color: var(--muted); font-size: 13px; }
pre { background: #f1f3f6; padding: 10px; border-radius: 6px; overflow-x: auto; font-size: 12.5px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; margin: 6px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f1f3f6; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.bar { display: inline-block; height: 10px; background: var(--accent); border-radius: 2px; vertical-align: middle; }
.cell-bad { background: #fde2e1; }
.imputed { background: #e3eefc; font-style: italic; }
figure { margin: 10px 0; }
figcaption { font-weight: 600; font-size: 13.5px; margin-bottom: 4px; }
.chart { width: 100%; min-height: 200px; }
.images img { image-rendering: pixelated; max-width: 100%; border: 1px solid var(--line); }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 12px; }
@media print { nav { position: static; } section.report-section { break-inside: avoid; } }
`;

export interface PageInfo {
  title: string;
  subtitle: string;
  generated: string;
}

export function reportPage(info: PageInfo, sections: Section[]): string {
  const charts = sections.flatMap((s) => s.charts);
  const nav = sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join('');
  const body = sections
    .map(
      (s) =>
        `<section class="report-section" id="${s.id}" data-section="${s.id}"><h2>${escapeHtml(s.title)}</h2>${s.html}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${escapeHtml(info.title)}</title>
<link rel="icon" href="data:,">
<style>${UPLOT_CSS}${STYLE}</style></head>
<body><header><h1>${escapeHtml(info.title)}</h1><p>${escapeHtml(info.subtitle)} · ${escapeHtml(info.generated)}</p></header>
<nav>${nav}</nav>
<main>
${body}
</main>
<script type="application/json" id="hourglass-report-data">${inlineJson({ charts })}</script>
<script>${REPORT_PAGE_SCRIPT.replace(/<\/script/gi, '<\\/script')}</script>
</body></html>
`;
}
