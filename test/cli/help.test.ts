// `--help` documents every command and every option (with its default), and docs/cli.md documents the
// same commands and options.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { runCli } from './check-harness.js';

const commands = buildProgram().commands;
const names = commands.map((c) => c.name());
const docs = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');

describe('gradcheck --help', () => {
  it('has the example, fixtures and check commands', () => {
    expect(names).toEqual(expect.arrayContaining(['example', 'fixtures', 'check']));
  });

  it('lists every command with its description', async () => {
    const { code, out } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(out).toContain('Usage: gradcheck [options] [command]');
    for (const c of commands) {
      expect(c.description().trim()).not.toBe('');
      expect(out).toMatch(new RegExp(`^  ${c.name()}\\b`, 'm'));
    }
  });

  it.each(names)('gradcheck %s --help documents every argument and option', async (name) => {
    const command = commands.find((c) => c.name() === name)!;
    const { code, out } = await runCli([name, '--help']);
    expect(code).toBe(0);
    expect(out).toMatch(new RegExp(`^Usage: gradcheck ${name} \\[options\\]`));
    // Commander wraps long descriptions; compare with the whitespace collapsed.
    const flat = out.replace(/\s+/g, ' ');
    for (const argument of command.registeredArguments) {
      expect(argument.description.trim()).not.toBe('');
      expect(flat).toContain(`${argument.name()} ${argument.description.replace(/\s+/g, ' ')}`);
    }
    for (const option of command.options) {
      expect(option.description.trim()).not.toBe('');
      expect(flat).toContain(`${option.flags} ${option.description.replace(/\s+/g, ' ')}`);
    }
  });

  it('gradcheck check --help shows each default, examples and the exit codes', async () => {
    const flat = (await runCli(['check', '--help'])).out.replace(/\s+/g, ' ');
    expect(flat).toContain('Usage: gradcheck check [options] <worker...>');
    expect(flat).toContain('(default: GRADCHECK_RUNS, else 100; times GRADCHECK_RUNS_SCALE)');
    expect(flat).toContain('(default: GRADCHECK_SEED, else random)');
    expect(flat).toContain('(default: GRADCHECK_PATH)');
    expect(flat).toContain('(choices: "reference", "self", default: "reference")');
    expect(flat).toContain('(choices: "full", "directions", "fast", default: "full")');
    expect(flat).toContain('(default: 1e-6)');
    expect(flat).toContain('(default: 30000)');
    expect(flat).toContain('gradcheck check python3 node_modules/gradcheck/examples/python/numpy_mlp.py');
    expect(flat).toContain('Exit codes (docs/verdicts.md): 0 no case failed');
    expect(flat).toContain('3 inconclusive (no case failed and none could be settled)');
  });

  it("every file the examples name exists in an installed project (shipped under node_modules/gradcheck, or written by gradcheck init python)", async () => {
    const { out } = await runCli(['check', '--help']);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { files: string[] };
    const paths = [...out.matchAll(/python3 (?:-u )?(\S+\.py)/g)].map((m) => m[1]);
    expect(paths.length).toBeGreaterThan(4);
    for (const path of paths) {
      if (path.startsWith('node_modules/gradcheck/')) {
        const inPackage = path.slice('node_modules/gradcheck/'.length);
        expect(pkg.files).toContain(inPackage.split('/')[0]);
        expect(existsSync(new URL(`../../${inPackage}`, import.meta.url))).toBe(true);
      } else {
        expect(path).toBe('template_worker.py'); // what `gradcheck init python` writes
      }
    }
  });

  it('gradcheck help check prints the same as gradcheck check --help', async () => {
    const viaHelp = await runCli(['help', 'check']);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.out).toBe((await runCli(['check', '--help'])).out);
  });
});

describe('docs/cli.md', () => {
  it.each(names)('documents gradcheck %s and each of its options', (name) => {
    const command = commands.find((c) => c.name() === name)!;
    expect(docs).toContain(`## \`gradcheck ${name}`);
    for (const option of command.options) expect(docs).toContain(`\`${option.long}`);
  });

  it('documents the exit codes', () => {
    for (const code of ['0', '1', '2', '130']) expect(docs).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
  });
});
