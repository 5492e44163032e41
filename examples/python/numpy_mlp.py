"""A multilayer perceptron with hand-written backprop in NumPy, served as a gradcheck worker.

Layout as in the notebooks: a batch is a stack of row vectors, W has shape (inputs, outputs) and a
layer computes z = a @ W + b, a' = f(z). The loss is the squared error with the case's reduction
(mean over all elements, sum, or half the sum); the worker returns dL/dW, dL/db, dL/dx and L.

    gradcheck check python3 examples/python/numpy_mlp.py
"""

import numpy as np

from gradcheck_worker import run_worker


def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + exp(-z)), without overflow warnings


# Each activation with its derivative, written in terms of z and of the output a = f(z).
ACTIVATIONS = {
    "sigmoid": (sigmoid, lambda z, a: a * (1.0 - a)),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z, a: (z > 0).astype(np.float64)),
    "identity": (lambda z: z, lambda z, a: np.ones_like(z)),
}


def loss_scale(reduction, count):
    """c in L = c * sum((y_hat - y) ** 2)."""
    return {"mean": 1.0 / count, "sum": 1.0, "half-sum": 0.5}[reduction]


def forward(case):
    """Every layer's (z, a), starting with (None, x)."""
    a = case.inputs
    trace = [(None, a)]
    for W, b, name in zip(case.weights, case.biases, case.activations):
        z = a @ W if b is None else a @ W + b
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
    run_worker("numpy-mlp", gradients=gradients, loss=loss,
               conventions={"weightLayout": "in-out", "returns": "gradient", "batch": "batch"})
