/**
 * `gradcheck init python [dir]`: writes a commented template worker (template_worker.py, a correct
 * NumPy MLP with TODOs where a user's own forward and backward passes go) into DIR, from the copy
 * shipped with the package. It imports gradcheck's Python package (installed from the wheel that
 * `gradcheck python-path` names), so nothing else is copied. An existing file is never overwritten
 * without --force. Exit 0, or 2 on a usage error.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Argument, type Command } from 'commander';
import { EXIT_PASS, EXIT_USAGE } from '../exit-codes.js';
import { bundled } from '../package-root.js';
import { shellQuote } from '../replay-command.js';

const TEMPLATE = { name: 'template_worker.py', what: 'a correct NumPy worker to start from: edit its TODOs' } as const;

export function runInit(dir: string, force: boolean): number {
  const to = join(dir, TEMPLATE.name);
  if (existsSync(to) && !force) {
    process.stderr.write(`gradcheck: init: ${to} already exists; nothing was written (use --force to overwrite)\n`);
    return EXIT_USAGE;
  }
  try {
    mkdirSync(dir, { recursive: true });
    copyFileSync(bundled('examples', 'python', TEMPLATE.name), to);
  } catch (error) {
    process.stderr.write(`gradcheck: init: could not write into ${dir}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_USAGE;
  }
  process.stdout.write(
    [
      'gradcheck init: wrote',
      `  ${to}  ${TEMPLATE.what}`,
      '',
      "It imports gradcheck's Python package; install it (offline, from this npm package) into the Python that runs it:",
      '  pip install "$(npx gradcheck python-path)"',
      'It passes as written; check it, then put your own code where the TODOs say:',
      `  npx gradcheck check python3 ${shellQuote(to)} --runs 20 --seed 1`,
      '',
    ].join('\n'),
  );
  return EXIT_PASS;
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description("write a Python worker to start from (template_worker.py), which imports gradcheck's Python package")
    .addArgument(new Argument('<lang>', 'the language of the worker').choices(['python']))
    .argument('[dir]', 'directory to write into (created if missing)', '.')
    .option('--force', 'overwrite files that already exist')
    .action((_language: string, dir: string, opts: { force?: boolean }) => {
      process.exitCode = runInit(dir, opts.force === true);
    });
}
