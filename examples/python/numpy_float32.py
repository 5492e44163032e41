"""The multilayer perceptron of numpy_mlp.py computed in float32, as a float32 library or a GPU
kernel does: parameters, inputs and targets are cast to float32 and every operation stays there.
Its gradients are correct to float32's precision, so it declares "precision": "float32" and gradcheck
allows for its rounding instead of failing it.

    gradcheck check python3 examples/python/numpy_float32.py
    gradcheck check python3 examples/python/numpy_float32.py --bias-error 0.01   a bias gradient 1% off

--bias-error r scales the first layer's bias gradient by 1 + r: a bug float32 rounding cannot explain.
"""

import sys

import numpy as np

from gradcheck_worker import run_worker

F = np.float32
BIAS_ERROR = float(sys.argv[sys.argv.index("--bias-error") + 1]) if "--bias-error" in sys.argv else 0.0


def sigmoid(z):
    return (F(1) / (F(1) + np.exp(-z))).astype(F)


ACTIVATIONS = {
    "sigmoid": (sigmoid, lambda z, a: a * (F(1) - a)),
    "relu": (lambda z: np.maximum(z, F(0)), lambda z, a: (z > 0).astype(F)),
    "identity": (lambda z: z, lambda z, a: np.ones_like(z)),
}


def loss_scale(reduction, count):
    return F({"mean": 1.0 / count, "sum": 1.0, "half-sum": 0.5}[reduction])


def as32(case):
    weights = [W.astype(F) for W in case.weights]
    biases = [None if b is None else b.astype(F) for b in case.biases]
    return weights, biases, case.inputs.astype(F), case.targets.astype(F)


def forward(case):
    weights, biases, x, _ = as32(case)
    a = x
    trace = [(None, a)]
    for W, b, name in zip(weights, biases, case.activations):
        z = a @ W if b is None else a @ W + b
        a = ACTIVATIONS[name][0](z)
        trace.append((z, a))
    return trace


def loss(case):
    _, _, _, y = as32(case)
    prediction = forward(case)[-1][1]
    return float(loss_scale(case.reduction, prediction.size) * np.sum((prediction - y) ** 2, dtype=F))


def gradients(case):
    weights, biases, _, y = as32(case)
    trace = forward(case)
    prediction = trace[-1][1]
    c = loss_scale(case.reduction, prediction.size)
    residual = prediction - y
    delta = F(2) * c * residual
    dW = [None] * len(weights)
    db = [None] * len(weights)
    for layer in reversed(range(len(weights))):
        z, a = trace[layer + 1]
        delta = delta * ACTIVATIONS[case.activations[layer]][1](z, a)
        dW[layer] = (trace[layer][1].T @ delta).astype(np.float64)
        if biases[layer] is not None:
            db[layer] = delta.sum(axis=0, dtype=F).astype(np.float64) * (1.0 + (BIAS_ERROR if layer == 0 else 0.0))
        delta = delta @ weights[layer].T
    return {"weights": dW, "biases": db, "inputs": delta.astype(np.float64), "loss": float(c * np.sum(residual**2, dtype=F))}


if __name__ == "__main__":
    run_worker("numpy-float32", gradients=gradients, loss=loss,
               conventions={"weightLayout": "in-out", "returns": "gradient", "batch": "batch", "precision": "float32"})
