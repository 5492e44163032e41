// The command-line conventions a shell user relies on: colour follows --color / --no-color, NO_COLOR and
// FORCE_COLOR, else the terminal; a reader that closes early (`| head`) is no crash; a usage error
// exits 2 on a pipe and on a terminal alike; every error the CLI prints starts with `gradcheck: `; a
// malformed fixture's message is readable.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colorEnabled } from '../../src/cli/color.js';
import { RUNNER_ENV, ROOT } from './check-harness.js';

const CLI = [process.execPath, '--import', 'tsx', 'src/cli/bin.ts'];
const BOLD_USAGE = '\x1b[1mUsage:\x1b[22m';
const ESC = '\x1b[';

/** The environment of the test, without colour or runner settings unless given. */
function envWith(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [...RUNNER_ENV, 'NO_COLOR', 'FORCE_COLOR', 'CLICOLOR_FORCE']) delete env[name];
  return { ...env, TERM: 'xterm-256color', ...extra };
}

/** `gradcheck …` with stdout and stderr on pipes. */
function onPipe(args: string[], extra: Record<string, string> = {}) {
  const r = spawnSync(CLI[0], [...CLI.slice(1), ...args], { cwd: ROOT, env: envWith(extra), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// util-linux `script` runs a command on a pseudo-terminal and exits with its code (-e).
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** `gradcheck …` on a terminal (stdout and stderr both), as `script` records it. */
function onTerminal(args: string[], extra: Record<string, string> = {}) {
  const command = [...CLI, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env: envWith(extra), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout.replace(/\r\n/g, '\n') };
}

/** Runs the CLI with one of its output pipes closed by the reader before anything is written. */
async function withClosedReader(which: 'stdout' | 'stderr', args: string[]) {
  const child = spawn(CLI[0], [...CLI.slice(1), ...args], { cwd: ROOT, env: envWith(), stdio: ['ignore', 'pipe', 'pipe'] });
  child[which].destroy();
  let other = '';
  child[which === 'stdout' ? 'stderr' : 'stdout'].on('data', (d: Buffer) => (other += d.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, other };
}

describe('colour', () => {
  it('is decided by the flag first, then NO_COLOR, then FORCE_COLOR, then the terminal', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    const cases: Array<[boolean | undefined, { isTTY: boolean }, Record<string, string>, boolean]> = [
      [undefined, tty, {}, true],
      [undefined, pipe, {}, false],
      [undefined, tty, { TERM: 'dumb' }, false],
      [true, pipe, { NO_COLOR: '1' }, true],
      [false, tty, { FORCE_COLOR: '1' }, false],
      [undefined, tty, { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
      [undefined, tty, { NO_COLOR: '' }, true],
      [undefined, pipe, { FORCE_COLOR: '1' }, true],
      [undefined, pipe, { FORCE_COLOR: '3' }, true],
      [undefined, tty, { FORCE_COLOR: '0' }, false],
      [undefined, tty, { FORCE_COLOR: 'false' }, false],
    ];
    for (const [flag, stream, env, expected] of cases) {
      expect(colorEnabled(flag, stream, env), JSON.stringify({ flag, stream, env })).toBe(expected);
    }
  });

  it('is off on a pipe and on with --color, before or after the command name', () => {
    expect(onPipe(['--help']).out).not.toContain(ESC);
    expect(onPipe(['--color', '--help']).out).toContain(`${BOLD_USAGE} gradcheck [options] [command]`);
    expect(onPipe(['check', '--color', '--help']).out).toContain(`${BOLD_USAGE} gradcheck check [options] <worker...>`);
  });

  it('follows FORCE_COLOR on a pipe, unless NO_COLOR or --no-color says otherwise', () => {
    expect(onPipe(['--help'], { FORCE_COLOR: '1' }).out).toContain(BOLD_USAGE);
    expect(onPipe(['--help'], { FORCE_COLOR: '1', NO_COLOR: '1' }).out).not.toContain(ESC);
    expect(onPipe(['--no-color', '--help'], { FORCE_COLOR: '1' }).out).not.toContain(ESC);
  });

  it.skipIf(!hasScript)('is on for a terminal, and off there with NO_COLOR, FORCE_COLOR=0 or --no-color', () => {
    expect(onTerminal(['--help']).out).toContain(BOLD_USAGE);
    expect(onTerminal(['--help'], { NO_COLOR: '1' }).out).not.toContain(ESC);
    expect(onTerminal(['--help'], { FORCE_COLOR: '0' }).out).not.toContain(ESC);
    expect(onTerminal(['--no-color', '--help']).out).not.toContain(ESC);
  });

  it('is listed in the help as two global options', () => {
    const { out } = onPipe(['--help']);
    expect(out).toMatch(/^ {2}--color +colour the output even when it is not a terminal/m);
    expect(out).toMatch(/^ {2}--no-color +never colour the output$/m);
  });
});

describe('a reader that closes early', () => {
  it('ends the help quietly, with exit code 0 (`gradcheck check --help | head -1`)', async () => {
    const { code, other } = await withClosedReader('stdout', ['check', '--help']);
    expect(other).toBe('');
    expect(code).toBe(0);
  });

  it('leaves a usage error its exit code 2 when nobody reads stderr', async () => {
    const { code } = await withClosedReader('stderr', ['check', '--bogus']);
    expect(code).toBe(2);
  });
});

describe('usage errors', () => {
  const usageErrors: Array<[string[], string]> = [
    [['check', '--bogus', 'python3', 'x.py'], "gradcheck: unknown option '--bogus'"],
    [['check'], "gradcheck: missing required argument 'worker'"],
    [['frobnicate'], "gradcheck: unknown command 'frobnicate'"],
    [['check', '--mode', 'sideways', 'python3', 'x.py'], "gradcheck: option '--mode <mode>' argument 'sideways' is invalid. Allowed choices are reference, self."],
    [['check', '--path', '0:1', 'python3', 'x.py'], "gradcheck: option '--path <p>' needs --seed: a path replays only together with the seed that produced it"],
  ];

  for (const [args, first] of usageErrors) {
    it(`exit 2 with one "gradcheck: " line on a pipe: ${args.join(' ')}`, () => {
      const { code, out, err } = onPipe(args);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err.split('\n')[0]).toBe(first);
      expect(err).not.toMatch(/^(error|ERROR):/m);
    });
  }

  it.skipIf(!hasScript)('exit 2 on a terminal too', () => {
    for (const [args, first] of usageErrors.slice(0, 3)) {
      const { code, out } = onTerminal(args);
      expect(code, args.join(' ')).toBe(2);
      expect(out.split('\n')[0]).toBe(first);
    }
  });
});

describe('malformed fixtures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gradcheck-fixtures-'));
  writeFileSync(join(dir, 'a-array.json'), '[]');
  writeFileSync(join(dir, 'b-bom.json'), '\uFEFF{"id": 7}');
  const run = () => onPipe(['fixtures', '--dir', dir]);

  it('name the expected type with its article ("an object")', () => {
    const { code, out } = run();
    expect(code).toBe(2);
    expect(out).toContain(`MALFORMED: ${join(dir, 'a-array.json')}: (root): is an array of 0; expected an object`);
    expect(out).not.toMatch(/\ba object\b/);
  });

  it('read past a byte-order mark, so the message is about the content and has no invisible character', () => {
    const { out } = run();
    expect(out).not.toContain('\uFEFF');
    expect(out).toContain(`MALFORMED: ${join(dir, 'b-bom.json')}: id: is 7; expected a string`);
  });
});
