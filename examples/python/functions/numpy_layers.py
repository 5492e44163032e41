"""A gradcheck worker serving the correct layers of layers.py: `gradcheck check python3 numpy_layers.py`."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gradcheck_worker import Function, run_function_worker  # noqa: E402
from layers import functions  # noqa: E402

if __name__ == "__main__":
    run_function_worker("numpy-layers", functions(Function))
