// The fuzzed parsers' names, without importing their targets (the runner's process never loads
// a parser: only its workers do, after guarding allocations).

export const PARSER_NAMES = [
  'csv',
  'tsv',
  'npy',
  'npz',
  'idx',
  'png',
  'jpeg',
  'json',
  'ndjson',
  'parquet',
  'model-json',
  'weights',
  'history',
  'model-zip',
  'manifest',
  'container',
  'detector',
  'pytorch-weights',
  'pytorch-map',
  'keras',
  'tfjs',
  'tfjs-weights',
  'server-json',
  'server-csv',
];
