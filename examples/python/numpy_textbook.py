"""Backprop the way many textbooks write it, served as a gradcheck worker.

One sample at a time as a column vector; W has shape (outputs, inputs) and a layer computes
z = W @ a + b. The loss is half the sum of squared errors, E = 1/2 * sum((y - y_hat) ** 2), and the
worker returns the weight changes of one gradient-descent step, dW = eta * delta @ a.T with the error
term delta = (y - y_hat) * f'(z): that is -eta * dE/dW. Its conventions say exactly this.

    gradcheck check python3 examples/python/numpy_textbook.py
"""

import numpy as np

from gradcheck_worker import run_worker

LEARNING_RATE = 0.5


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def activate(name, z):
    return {"sigmoid": sigmoid, "relu": lambda v: np.maximum(v, 0.0), "identity": lambda v: v}[name](z)


def slope(name, z, a):
    if name == "sigmoid":
        return a * (1.0 - a)
    if name == "relu":
        return (z > 0).astype(np.float64)
    return np.ones_like(z)


def sample(case):
    """The case's single sample as column vectors (the worker is declared per-sample)."""
    if case.reduction != "half-sum" or case.batch_size != 1:
        raise ValueError(f"expected one sample with the half-sum loss, got {case.batch_size} with {case.reduction}")
    return case.inputs.reshape(-1, 1), case.targets.reshape(-1, 1)


def feed_forward(case, x):
    activations, sums = [x], []
    for W, b, name in zip(case.weights, case.biases, case.activations):
        z = W @ activations[-1] + (0.0 if b is None else b.reshape(-1, 1))
        sums.append(z)
        activations.append(activate(name, z))
    return sums, activations


def error(case):
    x, y = sample(case)
    output = feed_forward(case, x)[1][-1]
    return 0.5 * np.sum((y - output) ** 2)


def weight_changes(case):
    x, y = sample(case)
    sums, activations = feed_forward(case, x)
    delta = (y - activations[-1]) * slope(case.activations[-1], sums[-1], activations[-1])
    changes_W, changes_b = [], []
    for layer in reversed(range(len(case.weights))):
        changes_W.insert(0, LEARNING_RATE * delta @ activations[layer].T)
        changes_b.insert(0, None if case.biases[layer] is None else LEARNING_RATE * delta)
        if layer > 0:
            delta = (case.weights[layer].T @ delta) * slope(case.activations[layer - 1], sums[layer - 1], activations[layer])
    return {"weights": changes_W, "biases": changes_b}


if __name__ == "__main__":
    run_worker("numpy-textbook", gradients=weight_changes, loss=error, conventions={
        "weightLayout": "out-in",
        "returns": "update",
        "learningRate": LEARNING_RATE,
        "reduction": "half-sum",
        "batch": "per-sample",
    })
