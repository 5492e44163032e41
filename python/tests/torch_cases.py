"""The torch code the tests check: examples/python/torch/torch_layers.py (the examples of docs/pytorch.md)."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "python", "torch"))

from torch_layers import *  # noqa: E402,F401,F403
