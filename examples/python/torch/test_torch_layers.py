"""gradcheck from pytest on the custom torch code of torch_layers.py: three checks pass, three planted
bugs fail with gradcheck's report (docs/pytorch.md shows the output).

    pip install "$(npx gradcheck python-path)"      # once, offline: gradcheck's Python package and its pytest plugin
    pytest examples/python/torch                    # (in this repository: GRADCHECK_CLI="npx tsx src/cli/bin.ts")
"""

import pytest
import torch
from torch import nn

from torch_layers import BuggyMulAdd, BuggyTanh, CustomMLP, ForgetfulSigmoid, MulAdd, Tanh


@pytest.mark.parametrize("fn", [Tanh, BuggyTanh])
def test_tanh(gradcheck, fn):
    gradcheck.check_function(fn, inputs={"x": ["N"]}, dims={"N": (1, 6)}, runs=50, seed=1)


@pytest.mark.parametrize("fn", [MulAdd, BuggyMulAdd])
def test_muladd(gradcheck, fn):
    gradcheck.check_function(fn, inputs={"a": ["N"], "b": ["N"], "c": ["N"]}, dims={"N": (1, 3)}, runs=50, seed=1)


@pytest.mark.parametrize("sigmoid", [torch.sigmoid, ForgetfulSigmoid.apply], ids=["torch.sigmoid", "ForgetfulSigmoid"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_mlp(gradcheck, sigmoid, dtype):
    net = CustomMLP(sigmoid=sigmoid, dtype=dtype)
    gradcheck.check_network(net, activations=["sigmoid", "identity"], runs=50, seed=1)
