// Build step: puts the kernels' .wasm files beside the browser entry (dist/), where it looks for
// them (new URL('../kernels.wasm', import.meta.url) from dist/platform/). Node reads build/.
import fs from 'node:fs';

for (const f of fs.readdirSync('build').filter((n) => n.endsWith('.wasm'))) fs.copyFileSync(`build/${f}`, `dist/${f}`);
