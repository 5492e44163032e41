/**
 * `gradcheck python-path`: prints the absolute path of gradcheck's Python package, the wheel that
 * `npm run build` (scripts/build-wheel.mjs) puts in dist/python/ and the npm package ships, so that
 * `pip install "$(npx gradcheck python-path)"` installs it offline into any virtual environment.
 * Exit 0, or 2 when the wheel is missing (a checkout that was not built).
 */
import { existsSync, readdirSync } from 'node:fs';
import type { Command } from 'commander';
import { EXIT_PASS, EXIT_USAGE } from '../exit-codes.js';
import { bundled } from '../package-root.js';

/** The shipped wheel's absolute path, or undefined when dist/python/ holds none. */
function wheelPath(): string | undefined {
  const dir = bundled('dist', 'python');
  const wheels = existsSync(dir) ? readdirSync(dir).filter((f) => /^gradcheck-.+-py3-none-any\.whl$/.test(f)) : [];
  return wheels.length === 1 ? bundled('dist', 'python', wheels[0]!) : undefined;
}

export function runPythonPath(): number {
  const path = wheelPath();
  if (path === undefined) {
    process.stderr.write(`gradcheck: python-path: no wheel of gradcheck's Python package in ${bundled('dist', 'python')}; build it with npm run build (or node scripts/build-wheel.mjs)\n`);
    return EXIT_USAGE;
  }
  process.stdout.write(`${path}\n`);
  return EXIT_PASS;
}

export function registerPythonPath(program: Command): void {
  program
    .command('python-path')
    .description(`print the path of the wheel of gradcheck's Python package, for pip install "$(npx gradcheck python-path)" (offline)`)
    .action(() => {
      process.exitCode = runPythonPath();
    });
}
