"""The second catalogue's correct implementation: a NumPy multilayer perceptron written the way many
people write one by hand, one class per layer that caches its forward values, weights stored
outputs x inputs (z = x W^T + b, as in PyTorch), and a backward pass that returns dL/dx.

Every bug of bugs.py is a small subclass of one of these classes; worker.py picks one with
`--bug ID` (or the environment variable GRADCHECK_NUMPY_BUG) and serves it with the bundled
gradcheck_worker.py (docs/protocol.md).
"""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class Activation:
    """f and f' by name; f' is given z and the cached a = f(z)."""

    def value(self, name, z):
        if name == "sigmoid":
            return sigmoid(z)
        if name == "relu":
            return np.maximum(z, 0.0)
        return z.copy()

    def derivative(self, name, z, a):
        if name == "sigmoid":
            return self.sigmoid_derivative(z, a)
        if name == "relu":
            return self.relu_derivative(z, a)
        return self.identity_derivative(z, a)

    def sigmoid_derivative(self, z, a):
        return a * (1.0 - a)

    def relu_derivative(self, z, a):
        return (z > 0).astype(z.dtype)

    def identity_derivative(self, z, a):
        return np.ones_like(z)


class Dense:
    """One layer: W (outputs x inputs), b (outputs) or None; caches x, z and a on forward."""

    def __init__(self, W, b, activation, act):
        self.W, self.b, self.activation, self.act = W, b, activation, act
        self.dW = np.zeros_like(W)
        self.db = None if b is None else np.zeros_like(b)

    def forward(self, x):
        self.x = x
        self.z = x @ self.W.T if self.b is None else x @ self.W.T + self.b
        self.a = self.act.value(self.activation, self.z)
        return self.a

    def backward(self, grad):
        """grad = dL/da of this layer; sets dW, db and returns dL/dx."""
        delta = self.delta(grad)
        self.dW = self.weight_gradient(delta)
        if self.b is not None:
            self.db = self.bias_gradient(delta)
        return self.input_gradient(delta, grad)

    def delta(self, grad):
        return grad * self.act.derivative(self.activation, self.z, self.a)

    def weight_gradient(self, delta):
        return delta.T @ self.x

    def bias_gradient(self, delta):
        return delta.sum(axis=0)

    def input_gradient(self, delta, grad):
        return delta @ self.W


class MSELoss:
    """The squared error with the case's reduction: mean (1/(N K)), sum, or half-sum."""

    def scale(self, reduction, prediction):
        return {"mean": 1.0 / prediction.size, "sum": 1.0, "half-sum": 0.5}[reduction]

    def value(self, prediction, targets, reduction):
        return self.scale(reduction, prediction) * float(np.sum((prediction - targets) ** 2))

    def gradient(self, prediction, targets, reduction, network):
        return 2.0 * self.scale(reduction, prediction) * (prediction - targets)


class Network:
    """The layers of one case, and the loss."""

    layer_class = Dense
    loss_class = MSELoss
    activation_class = Activation

    def __init__(self, case):
        act = self.activation_class()
        self.case = case
        self.layers = [self.layer_class(W, b, name, act) for W, b, name in zip(self.weights_of(case), case.biases, case.activations)]
        self.loss = self.loss_class()

    def weights_of(self, case):
        return case.weights

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, prediction):
        grad = self.loss.gradient(prediction, self.case.targets, self.case.reduction, self)
        for index in reversed(range(len(self.layers))):
            grad = self.backward_layer(index, grad)
        return grad

    def backward_layer(self, index, grad):
        return self.layers[index].backward(grad)

    def loss_value(self, prediction):
        return self.loss.value(prediction, self.case.targets, self.case.reduction)


class Model:
    """What the worker serves: one Network per case (a subclass may keep state between calls)."""

    network_class = Network
    name = "numpy-classes"
    conventions = {"weightLayout": "out-in", "returns": "gradient", "batch": "batch"}

    def network(self, case):
        return self.network_class(case)

    def gradients(self, case):
        net = self.network(case)
        prediction = self.forward(net, case)
        dx = net.backward(prediction)
        return {
            "weights": [layer.dW for layer in net.layers],
            "biases": [layer.db for layer in net.layers],
            "inputs": dx,
            "loss": self.returned_loss(net, prediction),
        }

    def forward(self, net, case):
        return net.forward(case.inputs)

    def returned_loss(self, net, prediction):
        return net.loss_value(prediction)

    def loss(self, case):
        net = self.network(case)
        return net.loss_value(self.forward(net, case))
