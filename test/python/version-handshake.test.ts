// The version handshake: gradcheck's Python package sends its version (`helperVersion`), which is the
// npm package's (one number, package.json's, in python/src/gradcheck/_version.py and in the wheel);
// gradcheck stops a worker whose package has another version, with the install line that fixes it,
// and holds workers without the field (other languages, helpers of their own) to nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnWorker } from '../../src/index.js';
import { helperVersionMismatch } from '../../src/adapters/subprocess/protocol.js';
import { VERSION } from '../../src/package-version.js';
import { PYTHON, ROOT } from '../workers/processes.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** A worker that sends `handshake` and then answers nothing (node, so no Python is needed). */
const fake = (handshake: object) => [process.execPath, '-e', `console.log(${JSON.stringify(JSON.stringify(handshake))}); process.stdin.resume()`];

describe('the helper version in the handshake', () => {
  it("is package.json's version, in the Python sources and in gradcheck's own VERSION", () => {
    expect(VERSION).toBe(pkg.version);
    expect(readFileSync(join(ROOT, 'python', 'src', 'gradcheck', '_version.py'), 'utf8')).toContain(`__version__ = "${pkg.version}"`);
  });

  it('is sent by the Python package, and a worker built with it is accepted', async () => {
    const worker = await spawnWorker([PYTHON, 'examples/python/numpy_mlp.py'], { cwd: ROOT });
    try {
      expect(worker.handshake.helperVersion).toBe(pkg.version);
    } finally {
      await worker.close();
    }
  });

  it('another version stops the worker with a message naming both versions and the install line', async () => {
    const command = fake({ protocol: 1, name: 'old', helperVersion: '0.0.9', capabilities: ['gradients'] });
    await expect(spawnWorker(command)).rejects.toThrow(
      // The command is quoted as the shell would take it; the rest of the message is fixed.
      `\` uses gradcheck's Python package 0.0.9, but this gradcheck is ${pkg.version}; install the matching package into the worker's Python with: pip install "$(npx gradcheck python-path)" (docs/python.md); the worker was stopped`,
    );
  });

  it('a worker without it is held to no version; a helperVersion that is not a string is a handshake error', async () => {
    const plain = await spawnWorker(fake({ protocol: 1, name: 'plain', capabilities: ['gradients'] }));
    await plain.close();
    expect(plain.handshake.helperVersion).toBeUndefined();
    await expect(spawnWorker(fake({ protocol: 1, name: 'num', helperVersion: 1, capabilities: ['gradients'] }))).rejects.toThrow('helperVersion is 1; expected a version string such as "0.1.0"');
  });

  it('is not checked when gradcheck cannot read its own version', () => {
    expect(helperVersionMismatch('0.0.9', 'unknown', 'w')).toBeUndefined();
    expect(helperVersionMismatch('0.1.0', '0.1.0', 'w')).toBeUndefined();
  });
});
