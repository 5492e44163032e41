"""Tests of gradcheck's Python package. They need the package installed (the wheel: test/python/
installs it into a virtual environment; by hand: `pip install "$(npx gradcheck python-path)"`),
PyTorch, and the gradcheck command (GRADCHECK_CLI, or `gradcheck` on PATH).

A missing torch is one clear message for the whole run, never a skip."""

import pytest

pytest_plugins = ["pytester"]

try:
    import torch  # noqa: F401
except ModuleNotFoundError:
    raise pytest.UsageError(
        "python/tests need PyTorch in this Python; install it (Debian: apt-get install python3-torch; "
        "or pip install torch) and run again"
    ) from None
