"""Serves one model of bugs.py as a gradcheck worker (docs/protocol.md).

    python3 mutants/numpy/worker.py --bug relu-mask-inverted
    GRADCHECK_NUMPY_BUG=relu-mask-inverted python3 mutants/numpy/worker.py
    python3 mutants/numpy/worker.py --list          the ids, one a line

Without a bug it serves the correct implementation ("correct").
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples", "python"))

from gradcheck_worker import run_worker  # noqa: E402
from bugs import MODELS  # noqa: E402


def selected():
    if "--bug" in sys.argv:
        return sys.argv[sys.argv.index("--bug") + 1]
    return os.environ.get("GRADCHECK_NUMPY_BUG") or "correct"


if __name__ == "__main__":
    if "--list" in sys.argv:
        sys.stdout.write("".join(f"{key}\n" for key in MODELS))
        sys.exit(0)
    bug = selected()
    if bug not in MODELS:
        sys.stderr.write(f"worker.py: unknown bug {bug!r}; expected one of: {', '.join(MODELS)}\n")
        sys.exit(2)
    model = MODELS[bug]()
    run_worker(f"numpy-{bug}", gradients=model.gradients, loss=model.loss, conventions=model.conventions)
