/**
 * The `gradcheck` command line. Each command lives in its own file under commands/.
 * Exit codes: 0 pass, 1 gradients wrong, 2 usage or worker error.
 * This module only defines the program; `bin.ts` runs it (the installed `gradcheck` bin).
 */
import { Command, CommanderError } from 'commander';
import colors, { colorEnabled, setColorFlag } from './color.js';
import { registerCheck } from './commands/check.js';
import { registerExample } from './commands/example.js';
import { registerFixtures } from './commands/fixtures.js';
import { registerInit } from './commands/init.js';
import { registerPythonPath } from './commands/python-path.js';
import { errorLine } from './error-line.js';
import { EXIT_USAGE } from './exit-codes.js';
import { VERSION } from './version.js';

export function buildProgram(): Command {
  const program = new Command('gradcheck')
    .description('Prove backpropagation code right or wrong by finite differences.')
    .version(VERSION, '-V, --version', 'print the version of gradcheck')
    .option('--color', 'colour the output even when it is not a terminal (default: only on a terminal; NO_COLOR and FORCE_COLOR are honoured)')
    .option('--no-color', 'never colour the output')
    .exitOverride()
    .showHelpAfterError('(see gradcheck --help)');
  // Read when output is written, not once: `--color` may come after the command's name.
  const flag = () => program.opts<{ color?: boolean }>().color;
  program
    .configureOutput({
      outputError: (message, write) => write(`${errorLine(message.trimEnd())}\n`),
      getOutHasColors: () => colorEnabled(flag(), process.stdout, process.env),
      getErrHasColors: () => colorEnabled(flag(), process.stderr, process.env),
    })
    // Commander strips these codes again when the stream gets no colour.
    .configureHelp({ styleTitle: (title) => colors.bold(title) })
    .hook('preAction', () => setColorFlag(flag()));
  // Registered after the configuration above: subcommands copy it when they are created.
  registerExample(program);
  registerFixtures(program);
  registerCheck(program);
  registerInit(program);
  registerPythonPath(program);
  // After a usage error, the command's usage line and where the rest is, not its whole help.
  for (const c of program.commands) c.showHelpAfterError(`Usage: gradcheck ${c.name()} ${c.usage()}\n(see gradcheck ${c.name()} --help)`);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  // Commands report their verdict through process.exitCode; start each run from a clean slate.
  process.exitCode = undefined;
  setColorFlag(undefined);
  try {
    await program.parseAsync(argv, { from: 'user' });
    const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    process.exitCode = undefined;
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    process.stderr.write(`${errorLine(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT_USAGE;
  }
}
