// A usage error prints the error, the command's usage line and where the rest is (not the whole
// help), and an unknown option after the worker's command shows the command with `--` (issue 22).
import { beforeEach, describe, expect, it } from 'vitest';
import { clearRunnerEnv, runCli } from './check-harness.js';

describe('usage errors', () => {
  beforeEach(clearRunnerEnv);

  it('a bad option value: the error, the usage line and "see --help"', async () => {
    const { code, out, err } = await runCli(['check', '--runs', 'x', 'python3', 'w.py']);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe("gradcheck: option '--runs <n>' argument 'x' is invalid. expected a positive integer.\nUsage: gradcheck check [options] <worker...>\n(see gradcheck check --help)\n");
  });

  it('every command gets its own short usage, the program a pointer to --help', async () => {
    expect((await runCli(['example', '--seed', 'q'])).err).toBe("gradcheck: option '--seed <n>' argument 'q' is invalid. expected an integer.\nUsage: gradcheck example [options]\n(see gradcheck example --help)\n");
    expect((await runCli(['bogus'])).err).toBe("gradcheck: unknown command 'bogus'\n(see gradcheck --help)\n");
  });

  it("an unknown option after the worker's command: the hint puts -- before the worker", async () => {
    const { code, err } = await runCli(['check', 'python3', 'my_worker.py', '--hidden', '8']);
    expect(code).toBe(2);
    expect(err).toBe(
      "gradcheck: unknown option '--hidden'\n(if --hidden is an option of the worker, put -- before the worker command: gradcheck check [options] -- python3 my_worker.py --hidden 8)\nUsage: gradcheck check [options] <worker...>\n(see gradcheck check --help)\n",
    );
  });

  it('an unknown option before any worker command is a plain unknown option', async () => {
    const { code, err } = await runCli(['check', '--hiddn', 'python3', 'w.py']);
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe("gradcheck: unknown option '--hiddn'");
    expect(err).not.toContain('put --');
  });
});
