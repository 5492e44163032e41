"""The second catalogue's bugs and correct twins, each a small change to network.py.

MODELS maps an id to a Model class; mutants/numpy/catalogue.ts describes each one (its cause, when it
shows, the smallest network that can show it). Ids starting with "twin-" are correct and must pass.
"""

import numpy as np

from network import Activation, Dense, Model, MSELoss, Network

F32 = np.float32


# --- Activation derivatives ------------------------------------------------------------------

class ReluSignFlipped(Activation):
    def relu_derivative(self, z, a):
        return -(z > 0).astype(z.dtype)  # BUG: sign flipped


class ReluMaskInverted(Activation):
    def relu_derivative(self, z, a):
        return (z <= 0).astype(z.dtype)  # BUG: the mask of the units that are off


class LeakySlopeLeftIn(Activation):
    def relu_derivative(self, z, a):
        return np.where(z > 0, 1.0, 0.01)  # BUG: copied from a leaky ReLU; the forward pass is a plain ReLU


class SigmoidDerivativeDoubled(Activation):
    def sigmoid_derivative(self, z, a):
        return 2.0 * a * (1.0 - a)  # BUG: 2σ(1 − σ)


class IdentityDerivativeIsZ(Activation):
    def identity_derivative(self, z, a):
        return z  # BUG: d/dz z written as z


class TanhDerivativeForSigmoid(Activation):
    def sigmoid_derivative(self, z, a):
        return 1.0 - a**2  # BUG: tanh's derivative, left over from a tanh network


# --- Layers ----------------------------------------------------------------------------------

class BiasSumNoAxis(Dense):
    def bias_gradient(self, delta):
        return np.full(delta.shape[1], delta.sum())  # BUG: summed over samples and units


class BiasLastSample(Dense):
    def bias_gradient(self, delta):
        return delta[-1].copy()  # BUG: the last sample's row only


class WeightsAveraged(Dense):
    def weight_gradient(self, delta):
        return delta.T @ self.x / self.x.shape[0]  # BUG: averaged over the batch while the bias is summed


class NoBiasLayerLinear(Dense):
    def delta(self, grad):
        if self.b is None:
            return grad  # BUG: "a layer without bias is a linear projection": f' forgotten
        return super().delta(grad)


class InputGradientBeforeDerivative(Dense):
    def input_gradient(self, delta, grad):
        return grad @ self.W  # BUG: dL/da · W instead of dL/dz · W


class WeightDecayInGradient(Dense):
    def weight_gradient(self, delta):
        return delta.T @ self.x + 0.01 * self.W  # BUG: L2 weight decay folded into the gradient


class ShapeGuessedLayout(Dense):
    """Accepts either layout and guesses by shape: a square W is read inputs x outputs."""

    def oriented(self, n):
        return self.W if self.W.shape[0] == n else self.W.T

    def forward(self, x):
        self.x = x
        W = self.oriented(x.shape[1])  # BUG: square W read in the other layout
        self.z = x @ W if self.b is None else x @ W + self.b
        self.a = self.act.value(self.activation, self.z)
        return self.a

    def weight_gradient(self, delta):
        g = self.x.T @ delta
        return g if self.W.shape[0] == self.x.shape[1] else g.T

    def input_gradient(self, delta, grad):
        return delta @ self.oriented(self.x.shape[1]).T


# --- Loss ------------------------------------------------------------------------------------

class MeanOverInputs(MSELoss):
    def __init__(self, inputs):
        self.inputs = inputs

    def gradient(self, prediction, targets, reduction, network):
        if reduction == "mean":  # BUG: N·inputs instead of N·outputs
            return 2.0 * (prediction - targets) / (prediction.shape[0] * self.inputs)
        return super().gradient(prediction, targets, reduction, network)


class AlwaysMeanGradient(MSELoss):
    def gradient(self, prediction, targets, reduction, network):
        return 2.0 * (prediction - targets) / prediction.size  # BUG: the mean's gradient whatever the reduction


# --- Networks --------------------------------------------------------------------------------

def network_with(layer=Dense, activation=Activation, loss=MSELoss):
    return type("Net", (Network,), {"layer_class": layer, "activation_class": activation, "loss_class": loss})


class MeanOverInputsNetwork(Network):
    def __init__(self, case):
        super().__init__(case)
        self.loss = MeanOverInputs(case.inputs.shape[1])


class CrossEntropyForLogisticOutput(Network):
    """A one-unit sigmoid output read as a logistic classifier: its error is the cross-entropy's a − y."""

    def backward_layer(self, index, grad):
        layer = self.layers[index]
        if index == len(self.layers) - 1 and layer.activation == "sigmoid" and layer.a.shape[1] == 1:
            delta = layer.a - self.case.targets  # BUG: the cross-entropy gradient under an MSE loss
            layer.dW = layer.weight_gradient(delta)
            if layer.b is not None:
                layer.db = layer.bias_gradient(delta)
            return layer.input_gradient(delta, grad)
        return layer.backward(grad)


class MiddleLayersDerivativeMissing(Network):
    def backward_layer(self, index, grad):
        layer = self.layers[index]
        if 0 < index < len(self.layers) - 1:  # BUG: f' applied at the first and the last layer only
            layer.dW = grad.T @ layer.x
            if layer.b is not None:
                layer.db = grad.sum(axis=0)
            return grad @ layer.W
        return layer.backward(grad)


def model_with(network, base=Model, **fields):
    return type("M", (base,), {"network_class": network, **fields})


# --- Returned values and state ---------------------------------------------------------------

class LossFourTimesHalfSum(Model):
    def returned_loss(self, net, prediction):
        return 2.0 * float(np.sum((prediction - net.case.targets) ** 2))  # BUG: 4 × the half-sum, any reduction


class AccumulatorNeverZeroed(Model):
    """Keeps gradient buffers per architecture and adds to them; dL/dx is recomputed fresh."""

    def __init__(self):
        self.buffers = {}

    def gradients(self, case):
        result = super().gradients(case)
        key = repr(case.network)
        if key not in self.buffers:
            self.buffers[key] = ([np.zeros_like(w) for w in result["weights"]], [None if b is None else np.zeros_like(b) for b in result["biases"]])
        dW, db = self.buffers[key]
        for i, w in enumerate(result["weights"]):
            dW[i] += w  # BUG: never zeroed between calls
            if db[i] is not None:
                db[i] += result["biases"][i]
        return {**result, "weights": [w.copy() for w in dW], "biases": [None if b is None else b.copy() for b in db]}


class ZeroedAccumulator(AccumulatorNeverZeroed):
    """The twin: the same buffers, zeroed at the start of every call."""

    def gradients(self, case):
        self.buffers.clear()
        return super().gradients(case)


class ForwardCacheByShape(Model):
    """Memoises the forward pass by input shape and architecture: a new case of the same shape reuses the old activations."""

    def __init__(self):
        self.cache = {}

    def forward(self, net, case):
        key = (case.inputs.shape, repr(case.network))  # BUG: keyed by shape, not by the values
        if key not in self.cache:
            prediction = net.forward(case.inputs)
            self.cache[key] = [(l.x, l.z, l.a) for l in net.layers], prediction
        saved, prediction = self.cache[key]
        for layer, (x, z, a) in zip(net.layers, saved):
            layer.x, layer.z, layer.a = x, z, a
        return prediction


class ForwardCacheByInputs(ForwardCacheByShape):
    """Memoises the forward pass by the input values: the same batch under new weights reuses the old activations."""

    def forward(self, net, case):
        key = (repr(case.network), case.inputs.tobytes())  # BUG: the weights are not part of the key
        if key not in self.cache:
            prediction = net.forward(case.inputs)
            self.cache[key] = [(l.x, l.z, l.a) for l in net.layers], prediction
        saved, prediction = self.cache[key]
        for layer, (x, z, a) in zip(net.layers, saved):
            layer.x, layer.z, layer.a = x, z, a
        return prediction


class ForwardCacheByContent(ForwardCacheByShape):
    """The twin: the same memo keyed by every value of the case."""

    def forward(self, net, case):
        key = (repr(case.network), case.inputs.tobytes(), b"".join(w.tobytes() for w in case.weights), b"".join(b"" if b is None else b.tobytes() for b in case.biases))
        if key not in self.cache:
            prediction = net.forward(case.inputs)
            self.cache[key] = [(l.x, l.z, l.a) for l in net.layers], prediction
        saved, prediction = self.cache[key]
        for layer, (x, z, a) in zip(net.layers, saved):
            layer.x, layer.z, layer.a = x, z, a
        return prediction


# --- Precision -------------------------------------------------------------------------------

class Float32Model(Model):
    """Every array cast to float32 and every operation kept there, as a float32 library computes."""

    def network(self, case):
        case.weights = [w.astype(F32) for w in case.weights]
        case.biases = [None if b is None else b.astype(F32) for b in case.biases]
        case.inputs = case.inputs.astype(F32)
        case.targets = case.targets.astype(F32)
        return super().network(case)


class Float32Activation(Activation):
    def value(self, name, z):
        return super().value(name, z).astype(F32)

    def derivative(self, name, z, a):
        return super().derivative(name, z, a).astype(F32)


class Float32Loss(MSELoss):
    def scale(self, reduction, prediction):
        return F32(super().scale(reduction, prediction))

    def value(self, prediction, targets, reduction):
        return float(self.scale(reduction, prediction) * np.sum((prediction - targets) ** 2, dtype=F32))

    def gradient(self, prediction, targets, reduction, network):
        return F32(2) * self.scale(reduction, prediction) * (prediction - targets)


Float32Network = network_with(activation=Float32Activation, loss=Float32Loss)


# --- Correct twins ---------------------------------------------------------------------------

class SigmoidFromZ(Activation):
    def sigmoid_derivative(self, z, a):
        return np.exp(-z) / (1.0 + np.exp(-z)) ** 2  # recomputed from z: the same derivative


class ReluMaskFromActivation(Activation):
    def relu_derivative(self, z, a):
        return (a > 0).astype(a.dtype)  # a > 0 exactly where z > 0


class PerSampleLoop(Dense):
    def weight_gradient(self, delta):
        dW = np.zeros_like(self.W)
        for n in range(delta.shape[0]):
            dW += np.outer(delta[n], self.x[n])
        return dW

    def bias_gradient(self, delta):
        db = np.zeros(delta.shape[1])
        for n in range(delta.shape[0]):
            db += delta[n]
        return db


class EinsumLayer(Dense):
    def weight_gradient(self, delta):
        return np.einsum("no,ni->oi", delta, self.x)

    def input_gradient(self, delta, grad):
        return np.einsum("no,oi->ni", delta, self.W)


MODELS = {
    "correct": Model,
    "ce-gradient-logistic-output": model_with(CrossEntropyForLogisticOutput),
    "relu-derivative-sign-flipped": model_with(network_with(activation=ReluSignFlipped)),
    "relu-mask-inverted": model_with(network_with(activation=ReluMaskInverted)),
    "leaky-slope-left-in": model_with(network_with(activation=LeakySlopeLeftIn)),
    "sigmoid-derivative-doubled": model_with(network_with(activation=SigmoidDerivativeDoubled)),
    "identity-derivative-is-z": model_with(network_with(activation=IdentityDerivativeIsZ)),
    "tanh-derivative-for-sigmoid": model_with(network_with(activation=TanhDerivativeForSigmoid)),
    "bias-summed-without-axis": model_with(network_with(layer=BiasSumNoAxis)),
    "bias-last-sample": model_with(network_with(layer=BiasLastSample)),
    "weights-averaged-bias-summed": model_with(network_with(layer=WeightsAveraged)),
    "no-bias-layer-linear": model_with(network_with(layer=NoBiasLayerLinear)),
    "input-gradient-before-derivative": model_with(network_with(layer=InputGradientBeforeDerivative)),
    "weight-decay-in-gradient": model_with(network_with(layer=WeightDecayInGradient)),
    "square-layout-guessed": model_with(network_with(layer=ShapeGuessedLayout)),
    "mean-over-inputs": model_with(MeanOverInputsNetwork),
    "always-mean-gradient": model_with(network_with(loss=AlwaysMeanGradient)),
    "middle-layers-derivative-missing": model_with(MiddleLayersDerivativeMissing),
    "loss-four-times-half-sum": LossFourTimesHalfSum,
    "accumulator-never-zeroed": AccumulatorNeverZeroed,
    "forward-cache-keyed-by-shape": ForwardCacheByShape,
    "forward-memo-keyed-by-batch": ForwardCacheByInputs,
    "float32-undeclared": model_with(Float32Network, base=Float32Model),
    "twin-float32-declared": model_with(Float32Network, base=Float32Model, conventions={**Model.conventions, "precision": "float32"}),
    "twin-sigmoid-from-z": model_with(network_with(activation=SigmoidFromZ)),
    "twin-relu-mask-from-activation": model_with(network_with(activation=ReluMaskFromActivation)),
    "twin-per-sample-loop": model_with(network_with(layer=PerSampleLoop)),
    "twin-einsum": model_with(network_with(layer=EinsumLayer)),
    "twin-zeroed-accumulator": ZeroedAccumulator,
    "twin-cache-keyed-by-content": ForwardCacheByContent,
}
