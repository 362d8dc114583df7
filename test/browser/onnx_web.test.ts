// The exported ONNX models in a browser: onnxruntime-web (its wasm backend, one thread) in
// Debian's Chromium runs every layer chain and every preset (whole, encoder, decoder) and gives
// Hourglass's predict (computed in Node) within 1e-5.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import '../../src/index.js';
import { exportOnnx } from '../../src/interop/onnx/export.js';
import { size } from '../../src/layers/layer.js';
import type { Model } from '../../src/model/model.js';
import { chromiumSkip, collectErrors, findChromium, serveStatic, type StaticServer } from '../helpers/browser.js';
import { ONNX_LAYER_CASES, ONNX_PRESET_CASES } from '../helpers/onnx_cases.js';
import { assertAllClose, randomValues, randomizeWeights } from '../helpers/onnx_runtime.js';

const chromium = findChromium();
const skip = chromiumSkip(chromium);

const PAGE = `<!doctype html>
<link rel="icon" href="data:,">
<script src="ort.wasm.min.js"></script>
<script>
ort.env.wasm.numThreads = 1;
ort.env.wasm.wasmPaths = './';
(async () => {
  const cases = await (await fetch('cases.json')).json();
  const out = [];
  for (const c of cases) {
    const bytes = new Uint8Array(await (await fetch(c.model)).arrayBuffer());
    const x = new Float32Array(await (await fetch(c.input)).arrayBuffer());
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const r = await session.run({ input: new ort.Tensor('float32', x, c.shape) });
    out.push({ dims: Array.from(r.output.dims), data: Array.from(r.output.data) });
    await session.release();
  }
  window.result = { out };
})().catch((e) => { window.result = { error: String(e && e.stack || e) }; });
</script>`;

let server: StaticServer | null = null;
after(() => server?.close());

test(
  'onnxruntime-web in Chromium runs every exported layer and preset as Hourglass predicts',
  { skip, timeout: 180_000 },
  async () => {
    assert.ok(chromium, 'chromium is installed (apt-get install chromium)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hourglass-onnx-web-'));
    // The package's exports hide dist/; its files are served as they ship.
    const ortDist = new URL('../../node_modules/onnxruntime-web/dist', import.meta.url).pathname;
    for (const f of ['ort.wasm.min.js', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'])
      fs.copyFileSync(path.join(ortDist, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'index.html'), PAGE);

    const models: { name: string; model: Model; bytes: Uint8Array }[] = [];
    ONNX_LAYER_CASES.forEach(([name, build]) => {
      const model = build();
      randomizeWeights(model, 11);
      models.push({ name, model, bytes: exportOnnx(model) });
    });
    for (const c of ONNX_PRESET_CASES) {
      const ae = c.build();
      ae.build(c.shape, c.output);
      randomizeWeights(ae.model, 5);
      models.push({ name: `${c.name} whole`, model: ae.model, bytes: exportOnnx(ae) });
      models.push({ name: `${c.name} encoder`, model: ae.encoder(), bytes: exportOnnx(ae, { part: 'encoder' }) });
      models.push({ name: `${c.name} decoder`, model: ae.decoder(), bytes: exportOnnx(ae, { part: 'decoder' }) });
    }
    const batch = 3;
    const expected = models.map(({ model, bytes }, i) => {
      const x = randomValues(batch * size(model.input.shape), 70 + i);
      fs.writeFileSync(path.join(dir, `model${i}.onnx`), bytes);
      fs.writeFileSync(path.join(dir, `input${i}.bin`), new Uint8Array(x.buffer));
      const y = model.predict({ data: x, shape: [batch, ...model.input.shape] }, { verbose: false });
      return { shape: [batch, ...model.input.shape], dims: [batch, ...model.output.shape], data: y.data };
    });
    fs.writeFileSync(
      path.join(dir, 'cases.json'),
      JSON.stringify(expected.map((e, i) => ({ model: `model${i}.onnx`, input: `input${i}.bin`, shape: e.shape }))),
    );

    server = await serveStatic(dir);
    const { chromium: pw } = await import('playwright-core');
    const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors = collectErrors(page);
      await page.goto(`${server.url}/index.html`);
      await page.waitForFunction(() => 'result' in window, undefined, { timeout: 150_000 });
      const r = await page.evaluate(
        () => (window as unknown as { result: { out?: { dims: number[]; data: number[] }[]; error?: string } }).result,
      );
      assert.equal(r.error, undefined);
      assert.deepEqual(errors, []);
      expected.forEach((e, i) => {
        assert.deepEqual(r.out![i]!.dims, e.dims, `${models[i]!.name}: output shape`);
        assertAllClose(r.out![i]!.data, e.data, 1e-5, `${models[i]!.name} in onnxruntime-web`);
      });
    } finally {
      await browser.close();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  },
);
