/**
 * The Python that test/python runs gradcheck's Python package with: GRADCHECK_PYTHON (or python3), else
 * Debian's /usr/bin/python3, whichever has PyTorch, pytest and venv (.ci/run installs python3-torch,
 * python3-pytest and python3-venv). Missing, it is one clear error, never a skip.
 */
import { spawnSync } from 'node:child_process';

const NEEDS = 'import torch, pytest, venv, ensurepip, numpy';

export function torchPython(candidates: readonly string[] = [...new Set([process.env.GRADCHECK_PYTHON ?? 'python3', '/usr/bin/python3'])]): string {
  const lacking: string[] = [];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', `${NEEDS}; import sys; print(sys.executable)`], { encoding: 'utf8' });
    if (probe.status === 0) return probe.stdout.trim();
    lacking.push(`${python}: ${(probe.stderr || String(probe.error)).trim().split('\n').pop()}`);
  }
  throw new Error(
    `test/python needs a Python with PyTorch, pytest and venv (and NumPy), and found none (${lacking.join('; ')}); ` +
      'install them (Debian: apt-get install -y python3-torch python3-pytest python3-venv, as .ci/run does) or point GRADCHECK_PYTHON at one',
  );
}

/** The gradcheck command from this checkout's sources (tsx loaded by absolute path), for GRADCHECK_CLI. */
export function cliFromSources(root: string): string {
  return [process.execPath, '--import', `${root}/node_modules/tsx/dist/loader.mjs`, `${root}/src/cli/bin.ts`].map((a) => `'${a}'`).join(' ');
}
