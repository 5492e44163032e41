/**
 * `gradcheck init python [dir]`: writes the Python protocol helper (gradcheck_worker.py) and a
 * commented template worker (template_worker.py, a correct NumPy MLP with TODOs where a user's own
 * forward and backward passes go) into DIR, from the copies shipped with the package. Existing files
 * are never overwritten without --force: then nothing is written. Exit 0, or 2 on a usage error.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Argument, type Command } from 'commander';
import { EXIT_PASS, EXIT_USAGE } from '../exit-codes.js';
import { bundled } from '../package-root.js';
import { shellQuote } from '../replay-command.js';

const FILES = [
  { name: 'gradcheck_worker.py', what: 'the protocol helper (keep it next to your worker)' },
  { name: 'template_worker.py', what: 'a correct NumPy worker to start from: edit its TODOs' },
] as const;

export function runInit(dir: string, force: boolean): number {
  const targets = FILES.map((f) => ({ ...f, from: bundled('examples', 'python', f.name), to: join(dir, f.name) }));
  const existing = targets.filter((t) => existsSync(t.to));
  if (existing.length > 0 && !force) {
    process.stderr.write(`gradcheck: init: ${existing.map((t) => t.to).join(' and ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written (use --force to overwrite)\n`);
    return EXIT_USAGE;
  }
  try {
    mkdirSync(dir, { recursive: true });
    for (const t of targets) copyFileSync(t.from, t.to);
  } catch (error) {
    process.stderr.write(`gradcheck: init: could not write into ${dir}: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_USAGE;
  }
  const width = Math.max(...targets.map((t) => t.to.length));
  const lines = targets.map((t) => `  ${t.to.padEnd(width)}  ${t.what}`);
  const template = shellQuote(join(dir, 'template_worker.py'));
  process.stdout.write(
    [`gradcheck init: wrote`, ...lines, '', 'It passes as written; check it, then put your own code where the TODOs say:', `  npx gradcheck check python3 ${template} --runs 20 --seed 1`, ''].join('\n'),
  );
  return EXIT_PASS;
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a Python worker to start from (template_worker.py) and the protocol helper (gradcheck_worker.py)')
    .addArgument(new Argument('<lang>', 'the language of the worker').choices(['python']))
    .argument('[dir]', 'directory to write into (created if missing)', '.')
    .option('--force', 'overwrite files that already exist')
    .action((_language: string, dir: string, opts: { force?: boolean }) => {
      process.exitCode = runInit(dir, opts.force === true);
    });
}
