"""A correct NumPy MLP that stores W as (outputs, inputs), the PyTorch layout, and computes
z = a @ W.T + b, but does not declare "weightLayout": "out-in": for the layout-hint tests.
On a non-square layer gradcheck's in-out W fails with a NumPy shape error; on square layers the
worker computes a different network, so its loss disagrees with the engine's.

    python3 out_in_worker.py [declared]     ("declared": the same worker, declaring out-in)
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples", "python"))

from gradcheck_worker import run_worker  # noqa: E402
from numpy_mlp import ACTIVATIONS, loss_scale  # noqa: E402


def forward(case):
    a = case.inputs
    trace = [(None, a)]
    for W, b, name in zip(case.weights, case.biases, case.activations):
        z = a @ W.T if b is None else a @ W.T + b
        a = ACTIVATIONS[name][0](z)
        trace.append((z, a))
    return trace


def loss(case):
    prediction = forward(case)[-1][1]
    return loss_scale(case.reduction, prediction.size) * np.sum((prediction - case.targets) ** 2)


def gradients(case):
    trace = forward(case)
    prediction = trace[-1][1]
    c = loss_scale(case.reduction, prediction.size)
    residual = prediction - case.targets
    delta = 2.0 * c * residual
    dW = [None] * len(case.weights)
    db = [None] * len(case.weights)
    for layer in reversed(range(len(case.weights))):
        z, a = trace[layer + 1]
        delta = delta * ACTIVATIONS[case.activations[layer]][1](z, a)
        dW[layer] = delta.T @ trace[layer][1]  # (outputs, inputs), like W
        if case.biases[layer] is not None:
            db[layer] = delta.sum(axis=0)
        delta = delta @ case.weights[layer]
    return {"weights": dW, "biases": db, "inputs": delta, "loss": c * np.sum(residual**2)}


if __name__ == "__main__":
    declared = len(sys.argv) > 1 and sys.argv[1] == "declared"
    conventions = {"weightLayout": "out-in"} if declared else {}
    run_worker("out-in-undeclared" if not declared else "out-in", gradients=gradients, loss=loss, conventions=conventions)
