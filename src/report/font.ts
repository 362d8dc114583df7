// A 3x5 pixel font (upper case, digits and a few signs) for the chart PNGs drawn without a
// browser: small, but enough for tick labels, titles and legends.

const GLYPHS: Record<string, string> = {
  A: '010101111101101',
  B: '110101110101110',
  C: '011100100100011',
  D: '110101101101110',
  E: '111100110100111',
  F: '111100110100100',
  G: '011100101101011',
  H: '101101111101101',
  I: '111010010010111',
  J: '001001001101010',
  K: '101101110101101',
  L: '100100100100111',
  M: '101111111101101',
  N: '110101101101101',
  O: '010101101101010',
  P: '110101110100100',
  Q: '010101101110011',
  R: '110101110101101',
  S: '011100010001110',
  T: '111010010010010',
  U: '101101101101111',
  V: '101101101101010',
  W: '101101111111101',
  X: '101101010101101',
  Y: '101101010010010',
  Z: '111001010100111',
  '0': '111101101101111',
  '1': '010110010010111',
  '2': '110001010100111',
  '3': '110001010001110',
  '4': '101101111001001',
  '5': '111100110001110',
  '6': '011100111101111',
  '7': '111001010010010',
  '8': '111101111101111',
  '9': '111101111001110',
  '.': '000000000000010',
  '-': '000000111000000',
  '+': '000010111010000',
  ' ': '000000000000000',
  '(': '001010010010001',
  ')': '100010010010100',
  ',': '000000000010100',
  '/': '001001010100100',
  '%': '101001010100101',
  '=': '000111000111000',
  ':': '000010000010000',
  '×': '000101010101000',
};

export const GLYPH_WIDTH = 3,
  GLYPH_HEIGHT = 5;

/** Width in pixels of text drawn at this scale (one pixel column of space between glyphs). */
export const textWidth = (text: string, scale: number): number => text.length * (GLYPH_WIDTH + 1) * scale - scale;

/** Calls `dot(x, y)` for every pixel of the text, its top-left corner at (x, y). */
export function drawText(text: string, x: number, y: number, scale: number, dot: (x: number, y: number) => void): void {
  [...text.toUpperCase()].forEach((ch, k) => {
    const bits = GLYPHS[ch] ?? GLYPHS[ch === '–' || ch === '−' ? '-' : ' ']!;
    const left = x + k * (GLYPH_WIDTH + 1) * scale;
    for (let r = 0; r < GLYPH_HEIGHT; r++)
      for (let c = 0; c < GLYPH_WIDTH; c++)
        if (bits[r * GLYPH_WIDTH + c] === '1')
          for (let dy = 0; dy < scale; dy++)
            for (let dx = 0; dx < scale; dx++) dot(left + c * scale + dx, y + r * scale + dy);
  });
}
