"""A gradcheck worker to start from: a correct NumPy multilayer perceptron, with TODOs where your own
forward pass and backpropagation go.

    gradcheck check python3 template_worker.py --runs 20 --seed 1

It passes as written. Replace `forward` and `gradients` with calls into your code (keep the
signatures), adjust CONVENTIONS and SUPPORTS to what your code does, and run the line above again.
gradcheck's Python package speaks the protocol (docs/protocol.md); install it, offline, into the
Python that runs this file with

    pip install "$(npx gradcheck python-path)"
"""

import sys

import numpy as np

try:
    from gradcheck import Unsupported, run_worker
except ModuleNotFoundError as missing:
    if missing.name != "gradcheck":
        raise
    sys.exit(
        f"template_worker.py: gradcheck's Python package is not installed in {sys.executable}; "
        'install it (offline, from the npm package) with: pip install "$(npx gradcheck python-path)"'
    )

# TODO: how your code stores and returns things (docs/protocol.md, "Conventions"):
#   weightLayout  "in-out": W has shape (inputs, outputs) and a layer computes a @ W + b;
#                 "out-in": W has shape (outputs, inputs) and a layer computes W @ a + b (PyTorch style)
#   returns       "gradient" (dL/dθ), "negative-gradient", or "update" (θ − learningRate · dL/dθ)
#   batch         "batch" (one call per batch) or "per-sample" (one call per row, summed by gradcheck)
CONVENTIONS = {"weightLayout": "in-out", "returns": "gradient", "batch": "batch"}

# TODO: what your code supports. gradcheck generates only such networks; remove a key to accept
# everything gradcheck can generate for it. Names as in docs/protocol.md ("supports").
SUPPORTS = {
    "activations": ["sigmoid", "relu", "identity"],  # hidden layers
    "outputActivations": ["identity", "sigmoid"],  # the output layer
    "bias": "mixed",  # true: every layer has a bias; false: none has; "mixed": either, per layer
    "maxDepth": 4,  # dense layers, counting the output layer
    "reductions": ["mean", "sum", "half-sum"],  # L = c · Σ (ŷ − y)², c = 1/count, 1, or 1/2
}


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + exp(-z)), without overflow warnings


# Each activation with its derivative, in terms of z and of the output a = f(z).
ACTIVATIONS = {
    "sigmoid": (sigmoid, lambda z, a: a * (1.0 - a)),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(np.float64)),
    "identity": (lambda z: z, lambda z, a: np.ones_like(z)),
}


def loss_scale(reduction, count):
    """c in L = c · Σ (ŷ − y)²."""
    return {"mean": 1.0 / count, "sum": 1.0, "half-sum": 0.5}[reduction]


def forward(case):
    """Every layer's (z, a), starting with (None, x).

    TODO: your forward pass. `case.weights[l]` and `case.biases[l]` (None without a bias) are float64
    arrays in the layout of CONVENTIONS; `case.activations[l]` names layer l's activation;
    `case.inputs` is batch × inputs. If your code builds its own model object, load these into it.
    """
    a = case.inputs
    trace = [(None, a)]
    for W, b, name in zip(case.weights, case.biases, case.activations):
        z = a @ W if b is None else a @ W + b
        a = ACTIVATIONS[name][0](z)
        trace.append((z, a))
    return trace


def loss(case):
    """The loss of the case; gradcheck compares it with its own and uses it in `--mode self`."""
    prediction = forward(case)[-1][1]
    return loss_scale(case.reduction, prediction.size) * np.sum((prediction - case.targets) ** 2)


def gradients(case):
    """dL/dW, dL/db (and dL/dx, and L) for one case.

    TODO: your backpropagation. Return gradients in the same layout as the weights; leave a bias out
    (None) where the layer has none. To decline a case your code cannot handle, raise
    Unsupported("reason"): gradcheck counts it and moves on (better: declare it in SUPPORTS).
    """
    if any(name not in ACTIVATIONS for name in case.activations):
        raise Unsupported(f"activations {case.activations}")
    trace = forward(case)
    prediction = trace[-1][1]
    c = loss_scale(case.reduction, prediction.size)
    residual = prediction - case.targets
    delta = 2.0 * c * residual  # dL/d(prediction)
    dW = [None] * len(case.weights)
    db = [None] * len(case.weights)
    for layer in reversed(range(len(case.weights))):
        z, a = trace[layer + 1]
        delta = delta * ACTIVATIONS[case.activations[layer]][1](z, a)  # dL/dz
        dW[layer] = trace[layer][1].T @ delta
        if case.biases[layer] is not None:
            db[layer] = delta.sum(axis=0)
        delta = delta @ case.weights[layer].T  # dL/d(previous activation)
    return {"weights": dW, "biases": db, "inputs": delta, "loss": c * np.sum(residual**2)}


if __name__ == "__main__":
    # TODO: name your worker (it appears in every report).
    run_worker("my-network", gradients=gradients, loss=loss, conventions=CONVENTIONS, supports=SUPPORTS)
