// Images in a page become the same rows as in Node: a PNG read by Node's image-folder reader and
// the same PNG decoded by Chromium (as a Blob, an <img>, a canvas and ImageData) through
// imagesToTensor give equal values, resized and in gray and RGB.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { readImageFolder } from '../../src/data/images.js';
import { Random } from '../../src/engine/random.js';
import {
  bundleApp,
  chromiumSkip,
  collectErrors,
  findChromium,
  serveStatic,
  type StaticServer,
} from '../helpers/browser.js';

const chromium = findChromium();
const skip = chromiumSkip(chromium);

const APP = `
import { ready, imagesToTensor } from 'hourglass-ae';
await ready();
const blob = await (await fetch('./pattern.png')).blob();
const img = new Image(); img.src = './pattern.png'; await img.decode();
const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
const canvas = document.createElement('canvas'); canvas.width = bitmap.width; canvas.height = bitmap.height;
const ctx = canvas.getContext('2d'); ctx.drawImage(bitmap, 0, 0);
const imageData = ctx.getImageData(0, 0, canvas.width, canvas.height);
const out = {};
for (const [name, size] of [['gray', { height: 6, width: 4, channels: 1 }], ['rgb', { height: 12, width: 10, channels: 3 }]]) {
  out[name] = {};
  for (const [kind, source] of [['blob', blob], ['img', img], ['canvas', canvas], ['imageData', imageData]]) {
    out[name][kind] = Array.from((await imagesToTensor([source], size)).data);
  }
}
let refused = null;
try { await imagesToTensor([new Blob(['not an image'])], { height: 2, width: 2, channels: 1 }); } catch (e) { refused = e.message; }
window.result = { out, refused };
`;

let server: StaticServer | null = null;
after(() => server?.close());

test(
  'Chromium and Node turn the same PNG into the same rows (Blob, <img>, canvas, ImageData)',
  { skip, timeout: 120_000 },
  async () => {
    assert.ok(chromium, 'chromium is installed (apt-get install chromium)');
    const out = await bundleApp({ 'app.js': APP });
    // 20 x 12 opaque random pixels: box averaging both down (6 x 4) and at a repeat (12 x 10).
    const png = new PNG({ width: 12, height: 20 });
    const rng = new Random(4);
    for (let i = 0; i < png.data.length; i++) png.data[i] = i % 4 === 3 ? 255 : Math.floor(rng.uniform() * 256);
    fs.writeFileSync(path.join(out, 'pattern.png'), PNG.sync.write(png));
    // Node reads the folder's one image: the page's bundle and wasm files are not images.
    const expected = {
      gray: Array.from(readImageFolder(out, { height: 6, width: 4, channels: 1 }).x.data),
      rgb: Array.from(readImageFolder(out, { height: 12, width: 10, channels: 3 }).x.data),
    };
    server = await serveStatic(out);

    const { chromium: pw } = await import('playwright-core');
    const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors = collectErrors(page);
      await page.goto(`${server.url}/index.html`);
      await page.waitForFunction(() => 'result' in window, undefined, { timeout: 60_000 });
      const r = await page.evaluate(
        () =>
          (window as unknown as { result: { out: Record<string, Record<string, number[]>>; refused: string | null } })
            .result,
      );
      assert.deepEqual(errors, []);
      for (const name of ['gray', 'rgb'] as const) {
        for (const kind of ['blob', 'img', 'canvas', 'imageData'])
          assert.deepEqual(r.out[name]![kind], expected[name], `${name} from ${kind} equals Node's rows`);
      }
      assert.match(r.refused ?? '', /image 0: the browser cannot decode it/);
    } finally {
      await browser.close();
    }
  },
);
