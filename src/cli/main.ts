// The hourglass command line: parses arguments and dispatches to the commands.

import { Command, CommanderError } from 'commander';
import '../index.js';
import {
  compressCommand,
  decompressCommand,
  demoCommand,
  denoiseCommand,
  detectCommand,
  encodeCommand,
  evaluateCommand,
  exportCommand,
  importCommand,
  imputeCommand,
  playgroundCommand,
  reportCommand,
  sampleCommand,
  serveCommand,
  trainCommand,
} from './commands/index.js';

export async function main(argv: string[]): Promise<void> {
  const program = new Command('hourglass')
    .description(
      'Autoencoders for TypeScript: train, evaluate, encode, detect anomalies, impute, denoise, compress and sample from the command line',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const c of [
    trainCommand(),
    evaluateCommand(),
    encodeCommand(),
    detectCommand(),
    imputeCommand(),
    denoiseCommand(),
    compressCommand(),
    decompressCommand(),
    sampleCommand(),
    reportCommand(),
    demoCommand(),
    playgroundCommand(),
    exportCommand(),
    importCommand(),
    serveCommand(),
  ]) {
    program.addCommand(c.exitOverride().showHelpAfterError('(run with --help for usage)'));
  }
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; bad flags exit 2 (commander already printed the message).
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    throw e;
  }
}
