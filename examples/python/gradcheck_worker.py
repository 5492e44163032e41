"""The gradcheck worker helper, for the examples in this folder: a shim over the `gradcheck` Python
package (python/src/gradcheck/worker.py is the one source; `pip install "$(npx gradcheck python-path)"`
installs it in a virtual environment). When this folder runs from a checkout or the npm package,
the package's sources beside it (../../python/src) are used, so the examples need nothing installed.

    from gradcheck_worker import run_worker      # as before; new code: from gradcheck import run_worker
"""

import os
import sys

_SOURCES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python", "src")
if os.path.isdir(os.path.join(_SOURCES, "gradcheck")) and os.path.abspath(_SOURCES) not in map(os.path.abspath, sys.path):
    sys.path.insert(0, os.path.abspath(_SOURCES))

from gradcheck.worker import *  # noqa: E402,F401,F403
from gradcheck.worker import PROTOCOL, Case, Function, Unsupported, run_function_worker, run_worker  # noqa: E402,F401
