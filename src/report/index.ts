// The report: one self-contained HTML page about an autoencoder (see report.ts), and its charts
// as data (chart_spec.ts) that `hourglass report --png` also draws without a browser.

export { buildReport, report, type BuiltReport, type ReportOptions, type Section } from './report.js';
export { renderChart } from './raster.js';
export { markCount, type ChartSpec, type HistogramChart, type LineChart, type ScatterChart } from './chart_spec.js';
export { encodeRgbaPng, pngDataUrl, type Rgba } from './png_bytes.js';
export { seriesSection } from './sections/series_section.js';
