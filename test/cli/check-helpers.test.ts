// The small helpers of `gradcheck check`: the replay line (POSIX shell quoting), and when the progress
// bar is drawn.
import { describe, expect, it } from 'vitest';
import { CHECK_DEFAULTS, type CheckCommandOptions } from '../../src/cli/check-options.js';
import { PROGRESS_DELAY_MS, progressLine, showsProgress, startProgress } from '../../src/cli/progress.js';
import { replayCommand, shellQuote } from '../../src/cli/replay-command.js';

const defaults: CheckCommandOptions = { ...CHECK_DEFAULTS };

describe('replay line', () => {
  it('quotes words the way a POSIX shell reads them back', () => {
    expect(shellQuote('examples/python/numpy_mlp.py')).toBe('examples/python/numpy_mlp.py');
    expect(shellQuote('my worker.py')).toBe("'my worker.py'");
    // Inside single quotes nothing is special except the quote itself: close, escape it, reopen (POSIX sh, 2.2.3).
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('$HOME')).toBe("'$HOME'");
    expect(shellQuote('')).toBe("''");
  });

  it('repeats the seed and path, and only the options that change what is checked', () => {
    expect(replayCommand(['python3', 'w.py'], { ...defaults, runs: 500, json: 'out.json' }, 42, '3:1:0')).toBe('gradcheck check python3 w.py --seed 42 --path 3:1:0');
    expect(replayCommand(['python3', 'w.py'], defaults, -7)).toBe('gradcheck check python3 w.py --seed -7');
    // Without a path the replay is the whole run, so its number of cases is repeated.
    expect(replayCommand(['python3', 'w.py'], { ...defaults, runs: 12 }, 3)).toBe('gradcheck check python3 w.py --seed 3 --runs 12');
    expect(replayCommand(['python3', 'w.py'], { ...defaults, mode: 'self', strategy: 'directions', rtol: 1e-4, timeout: 500 }, 1, '0')).toBe(
      'gradcheck check python3 w.py --seed 1 --path 0 --mode self --strategy directions --rtol 0.0001 --timeout 500',
    );
  });

  it('puts a worker with options of its own after --', () => {
    expect(replayCommand(['python3', '-u', 'my worker.py'], defaults, 1, '2')).toBe("gradcheck check --seed 1 --path 2 -- python3 -u 'my worker.py'");
  });
});

describe('progress bar', () => {
  it('is drawn only on a terminal, and never in CI', () => {
    expect(showsProgress({ isTTY: true }, {})).toBe(true);
    expect(showsProgress({ isTTY: false }, {})).toBe(false);
    expect(showsProgress({}, {})).toBe(false);
    expect(showsProgress({ isTTY: true }, { CI: 'true' })).toBe(false);
    expect(showsProgress({ isTTY: true }, { CI: '1' })).toBe(false);
    expect(showsProgress({ isTTY: true }, { CI: 'false' })).toBe(true);
  });

  it(`appears once a run has lasted ${PROGRESS_DELAY_MS} ms, counts cases, and is removed when stopped`, () => {
    const written: string[] = [];
    const stream = { isTTY: true, columns: 100, write: (s: string) => (written.push(s), true) } as unknown as NodeJS.WriteStream;
    let clock = 0;
    const progress = startProgress(stream, {}, () => clock);
    progress.update(1, 10);
    expect(written).toEqual([]);
    clock = PROGRESS_DELAY_MS;
    progress.update(3, 10);
    expect(written.join('')).toMatch(/checking .* 3\/10 random cases/);
    progress.stop();
    // Erased in place: carriage return, then ECMA-48 EL (erase to the end of the line).
    expect(written.at(-1)).toBe('\r\x1b[K');
    const count = written.length;
    progress.update(4, 10);
    expect(written.length).toBe(count);
  });

  it('redraws at most ten times a second, but always draws the last case', () => {
    const written: string[] = [];
    const stream = { isTTY: true, columns: 100, write: (s: string) => (written.push(s), true) } as unknown as NodeJS.WriteStream;
    let clock = PROGRESS_DELAY_MS;
    const progress = startProgress(stream, {}, () => clock);
    clock += PROGRESS_DELAY_MS;
    for (let done = 1; done < 1000; done++) progress.update(done, 1000);
    expect(written).toHaveLength(1);
    clock += 100;
    progress.update(1000, 1000);
    expect(written).toHaveLength(2);
    expect(written[1]).toMatch(/ 1000\/1000 random cases \| 0s$/);
  });

  it('fits the terminal: a 40-character bar filled in proportion, none when too narrow', () => {
    expect(progressLine(3, 10, 65_000, 100)).toBe(`checking ${'█'.repeat(12)}${'░'.repeat(28)} 3/10 random cases | 1m 5s`);
    expect(progressLine(10, 10, 0, 100)).toContain('█'.repeat(40));
    expect(progressLine(3, 10, 0, 30)).toBe('checking 3/10 random cases | ');
    expect(progressLine(3, 10, 0, 0)).toBe(progressLine(3, 10, 0, 80));
    for (const columns of [20, 40, 60, 80]) expect(progressLine(5, 10, 0, columns).length).toBeLessThan(columns);
  });

  it('writes nothing when stderr is not a terminal', () => {
    const written: string[] = [];
    const stream = { isTTY: false, write: (s: string) => (written.push(s), true) } as unknown as NodeJS.WriteStream;
    const progress = startProgress(stream, {}, () => 10 * PROGRESS_DELAY_MS);
    progress.update(5, 10);
    progress.stop();
    expect(written).toEqual([]);
  });
});
