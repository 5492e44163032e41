/**
 * The `gradcheck` command line. Each command lives in its own file under commands/.
 * Exit codes: 0 pass, 1 gradients wrong, 2 usage or worker error.
 */
import { Command, CommanderError } from 'commander';
import { registerCheck } from './commands/check.js';
import { registerExample } from './commands/example.js';
import { registerFixtures } from './commands/fixtures.js';
import { EXIT_USAGE } from './exit-codes.js';

export function buildProgram(): Command {
  const program = new Command('gradcheck')
    .description('Prove backpropagation code right or wrong by finite differences.')
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

const invokedDirectly = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/cli.js') || process.argv[1]?.endsWith('cli/main.ts');
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
