"""gradcheck for Python: serve your backward passes to gradcheck, check them from pytest.

- ``gradcheck.worker``: the worker protocol's Python side (``run_worker``, ``run_function_worker``,
  ``Function``, ``Unsupported``, ``Case``), NumPy only.
- ``gradcheck.torch``: adapters for ``torch.autograd.Function`` and ``nn.Module`` (imports torch).
- ``gradcheck.pytest_plugin``: the ``gradcheck`` fixture, registered with pytest by the wheel's
  ``pytest11`` entry point.

The checking itself is done by the gradcheck command (the npm package), which this package runs;
its version is the npm package's, and gradcheck refuses a worker built with another version.
"""

from ._version import __version__
from .worker import PROTOCOL, Case, Function, Unsupported, run_function_worker, run_worker

__all__ = ["__version__", "PROTOCOL", "Case", "Function", "Unsupported", "run_function_worker", "run_worker"]
