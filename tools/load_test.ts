// The load test's command line: 1,000 clients for 30 s by default (test/server/load_runner.ts
// does the work; test/server/load.test.ts is the CI-sized run). Prints the report as JSON.
//
//   npm run bench:serve  (= node --max-semi-space-size=64 --import tsx tools/load_test.ts [--connections 1000]
//                          [--duration 30] [--model DIR])
//
// autocannon runs in this process: with V8's default young generation its scavenges took 10-26 ms
// every ~200 ms under 1,000 connections, and most windows of late answers began at one of them
// (the load generator pausing, not the server). With a 64 MB semi-space, alternating 30-s runs
// gave p99 136/139 ms against 164/146 ms (README, server section).

import { runLoadTest } from '../test/server/load_runner.js';

const flag = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const report = await runLoadTest({
  connections: Number(flag('connections', '1000')),
  durationS: Number(flag('duration', '30')),
  ...(flag('model', '') ? { model: flag('model', '') } : {}),
});
console.log(JSON.stringify(report, null, 2));
