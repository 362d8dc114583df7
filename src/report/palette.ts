// Ten distinguishable colours (Tableau 10), one per label: the report's charts and PNGs share them.

export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#6b6b6b',
];
