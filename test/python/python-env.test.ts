// Without a Python that has torch, pytest and venv, test/python fails with one message saying what to
// install: it is never skipped.
import { describe, expect, it } from 'vitest';
import { torchPython } from './python-env.js';

describe('the Python test/python runs with', () => {
  it('is one clear error, naming what each candidate lacks and what to install, when none has torch', () => {
    expect(() => torchPython(['no-such-python3'])).toThrow(
      /^test\/python needs a Python with PyTorch, pytest and venv \(and NumPy\), and found none \(no-such-python3: Error: spawnSync no-such-python3 ENOENT\); install them \(Debian: apt-get install -y python3-torch python3-pytest python3-venv, as \.ci\/run does\) or point GRADCHECK_PYTHON at one$/,
    );
  });
});
