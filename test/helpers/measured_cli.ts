// Runs one hourglass command in this process and then prints, as the last line of standard
// error, the process's peak resident memory and the WebAssembly memory's size (MB): the scale
// test runs each command as a child through this to measure that command alone.

import { main } from '../../src/cli/main.js';
import { getEngine } from '../../src/engine/kernels.js';

await main(process.argv);
const MB = 1 << 20;
process.stderr.write(
  '\n' +
    JSON.stringify({
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      wasmMB: getEngine().memory.buffer.byteLength / MB,
    }) +
    '\n',
);
