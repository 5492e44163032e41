"""A function worker with one large function, for the interrupt test: a GRU-like gate
h = tanh(W x + b) with W 64 x 72, x 72, b 64 (4,744 differentiated entries), whose full VJP check takes
about 14,000 calls of f a case."""

import os
import sys

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..")
sys.path.insert(0, os.path.join(ROOT, "examples", "python"))

from gradcheck_worker import Function, run_function_worker  # noqa: E402


def gate(W, x, b):
    return np.tanh(W @ x + b)


def gate_vjp(inputs, cotangent):
    W, x, b = inputs["W"], inputs["x"], inputs["b"]
    g = (1 - np.tanh(W @ x + b) ** 2) * cotangent["y"]
    return {"W": np.outer(g, x), "x": W.T @ g, "b": g}


if __name__ == "__main__":
    run_function_worker("big-gate", [
        Function("gate", gate, vjp=gate_vjp, inputs={"W": ["H", "D"], "x": ["D"], "b": ["H"]},
                 dims={"H": (64, 64), "D": (72, 72)}),
    ])
