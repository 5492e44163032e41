/**
 * The `gradcheck` command line. Each command lives in its own file under commands/.
 * Exit codes: 0 pass, 1 gradients wrong, 2 usage or worker error.
 * This module only defines the program; `bin.ts` runs it (the installed `gradcheck` bin).
 */
import { Command, CommanderError } from 'commander';
import { registerCheck } from './commands/check.js';
import { registerExample } from './commands/example.js';
import { registerFixtures } from './commands/fixtures.js';
import { EXIT_USAGE } from './exit-codes.js';
import { VERSION } from './version.js';

export function buildProgram(): Command {
  const program = new Command('gradcheck')
    .description('Prove backpropagation code right or wrong by finite differences.')
    .version(VERSION, '-V, --version', 'print the version of gradcheck')
    .exitOverride()
    .showHelpAfterError();
  registerExample(program);
  registerFixtures(program);
  registerCheck(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  // Commands report their verdict through process.exitCode; start each run from a clean slate.
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv, { from: 'user' });
    const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    process.exitCode = undefined;
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    process.stderr.write(`gradcheck: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_USAGE;
  }
}
