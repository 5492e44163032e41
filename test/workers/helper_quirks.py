"""A worker built with examples/python/gradcheck_worker.py whose functions do what users' code does:
print, return vectors and row-shaped biases, NaN, exceptions, wrong return types. The case's seed
picks the behaviour (see gradients). `python3 helper_quirks.py bad-conventions` fails at startup, and
so does `bad-supports` (a misspelt supports key).
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples", "python"))
from gradcheck_worker import run_worker  # noqa: E402


def gradients(case):
    print("debug: gradients for case", case.id)  # must reach stderr, not the protocol
    seed = case.seed
    weights = [np.zeros_like(W) for W in case.weights]
    biases = [None if b is None else np.zeros((1, b.size)) for b in case.biases]  # row-shaped biases
    weights[-1] = weights[-1].ravel()  # a single output column computed as a vector
    if seed == 101:
        weights[0][1, 0] = np.nan
    elif seed == 104:
        return {"weights": weights, "biases": biases, "loss": 1.0 / 0.0}
    elif seed == 105:
        return [weights, biases]
    elif seed == 106:
        return {"grads": weights}
    elif seed == 107:
        return {"weights": weights[:1], "biases": biases[:1]}
    elif seed == 200:
        return {"weights": case.weights, "biases": case.biases, "inputs": case.inputs}
    return {"weights": weights, "biases": biases}


def loss(case):
    if case.seed == 108:
        return np.array([0.25, 0.5])
    return np.array([[0.25]])


if __name__ == "__main__":
    conventions = {"layout": "in-out"} if sys.argv[1:] == ["bad-conventions"] else {"weightLayout": "in-out"}
    supports = {"minwidth": 2} if sys.argv[1:] == ["bad-supports"] else None
    run_worker("helper-quirks", gradients=gradients, loss=loss, conventions=conventions, max_cases=2, supports=supports)
