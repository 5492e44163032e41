"""A backprop with a classic bug, for demos: the hidden layers forget the activation's derivative.

Same layout and loss as numpy_mlp.py; the output layer and the loss are right, so gradcheck locates
the mismatch in the hidden layers' W and b and passes the last layer.

    gradcheck check python3 examples/python/numpy_buggy.py
"""

import numpy as np

from gradcheck_worker import run_worker
from numpy_mlp import ACTIVATIONS, forward, loss, loss_scale


def gradients(case):
    trace = forward(case)
    prediction = trace[-1][1]
    delta = 2.0 * loss_scale(case.reduction, prediction.size) * (prediction - case.targets)
    last = len(case.weights) - 1
    dW, db = [None] * (last + 1), [None] * (last + 1)
    for layer in reversed(range(last + 1)):
        z, a = trace[layer + 1]
        if layer == last:  # BUG: every layer needs delta * f'(z), not only the output layer
            delta = delta * ACTIVATIONS[case.activations[layer]][1](z, a)
        dW[layer] = trace[layer][1].T @ delta
        db[layer] = None if case.biases[layer] is None else delta.sum(axis=0)
        delta = delta @ case.weights[layer].T
    return {"weights": dW, "biases": db}


if __name__ == "__main__":
    run_worker("numpy-buggy", gradients=gradients, loss=loss, conventions={"weightLayout": "in-out", "returns": "gradient"})
