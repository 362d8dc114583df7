#!/usr/bin/env node
// The `hourglass` command: runs the compiled CLI from dist/.
import { main } from '../dist/cli/main.js';

await main(process.argv);
