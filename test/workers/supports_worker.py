"""Workers that say what they support, for the `supports` and `unsupported` tests.

    python3 supports_worker.py MODE

declares        handshake supports: sigmoid hidden layers, identity output, bias on every layer,
                hidden width >= 2; a case outside that is a worker error (so a test fails if gradcheck
                sends one). Gradients from examples/python/numpy_mlp.py.
declares-buggy  the same declaration, gradients from examples/python/numpy_buggy.py (wrong).
declines        no declaration; raises Unsupported for any case with a ReLU layer.
declines-all    raises Unsupported for every case.
huge-batches    handshake supports: batches of up to 100000 rows (more than gradcheck draws).
mnist           handshake supports: MNIST's shape, 784 inputs, one hidden layer of at most 100 units,
                10 outputs; a case outside that is a worker error.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples", "python"))

from gradcheck_worker import Unsupported, run_worker  # noqa: E402
import numpy_buggy  # noqa: E402
import numpy_mlp  # noqa: E402

MODE = sys.argv[1] if len(sys.argv) > 1 else "declares"
SUPPORTS = {"activations": ["sigmoid"], "outputActivations": ["identity"], "bias": True, "minWidth": 2}


def within_supports(case):
    *hidden, output = case.activations
    problems = []
    if any(a != "sigmoid" for a in hidden):
        problems.append(f"hidden activations {hidden}")
    if output != "identity":
        problems.append(f"output activation {output}")
    if any(b is None for b in case.biases):
        problems.append("a layer without bias")
    if any(W.shape[1] < 2 for W in case.weights[:-1]):
        problems.append("a hidden layer narrower than 2")
    if problems:
        raise ValueError("gradcheck sent a case outside the declared supports: " + ", ".join(problems))


MNIST = {"minInputs": 784, "maxInputs": 784, "minDepth": 2, "maxDepth": 2, "maxWidth": 100, "minOutputs": 10, "maxOutputs": 10}


def within_mnist(case):
    inputs = case.weights[0].shape[0]
    widths = [W.shape[1] for W in case.weights[:-1]]
    outputs = case.weights[-1].shape[1]
    if inputs != 784 or len(case.weights) != 2 or any(w > 100 for w in widths) or outputs != 10:
        raise ValueError(f"gradcheck sent a case outside the declared supports: {inputs} inputs, hidden widths {widths}, {outputs} outputs")
    return numpy_mlp.gradients(case)


def declared(gradients):
    def checked(case):
        within_supports(case)
        return gradients(case)

    return checked


def no_relu(case):
    if "relu" in case.activations:
        raise Unsupported("no ReLU layers")
    return numpy_mlp.gradients(case)


def none(case):
    raise Unsupported("this worker is a stub")


if __name__ == "__main__":
    if MODE == "declares":
        run_worker("supports-declares", gradients=declared(numpy_mlp.gradients), loss=numpy_mlp.loss, supports=SUPPORTS)
    elif MODE == "declares-buggy":
        run_worker("supports-buggy", gradients=declared(numpy_buggy.gradients), loss=numpy_mlp.loss, supports=SUPPORTS)
    elif MODE == "declines":
        run_worker("supports-declines", gradients=no_relu, loss=numpy_mlp.loss)
    elif MODE == "huge-batches":
        run_worker("supports-huge-batches", gradients=numpy_mlp.gradients, loss=numpy_mlp.loss, supports={"maxBatch": 100000})
    elif MODE == "mnist":
        run_worker("supports-mnist", gradients=within_mnist, loss=numpy_mlp.loss, supports=MNIST)
    elif MODE == "declines-all":
        run_worker("supports-stub", gradients=none)
    else:
        sys.exit(f"unknown mode {MODE}")
