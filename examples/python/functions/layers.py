"""Custom layers in NumPy with hand-written backward rules, and a buggy version of each.

softmax, softmax with cross-entropy, tanh, layer normalisation and a 1-D convolution, the same
functions and the same bugs as examples/typescript/functions/:

- softmax: the buggy rule drops the coupling term <y_bar, s>;
- cross-entropy: the buggy rule forgets the mean's 1/B;
- tanh: the buggy rule forgets to square (1 - tanh instead of 1 - tanh^2);
- layer norm: the buggy rule drops the variance's term x_hat * mean(g * x_hat), so only dL/dx is wrong;
- conv1d: the buggy rule stops dL/dx's kernel loop one tap short, so dL/dx[c, j] is wrong for j >= K - 1.

Served by numpy_layers.py (correct) and numpy_layers_buggy.py (buggy).
"""

import numpy as np

LAYER_NORM_EPS = 1e-5  # PyTorch's default for nn.LayerNorm


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_vjp(inputs, cotangent, coupled=True):
    s = softmax(inputs["z"])
    y = cotangent["y"]
    dot = (y * s).sum(axis=-1, keepdims=True) if coupled else 0.0
    return {"z": s * (y - dot)}


def cross_entropy(z, p):
    """Mean over rows of -sum_c p log softmax(z)."""
    shifted = z - z.max(axis=-1, keepdims=True)
    log_s = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return np.asarray(-(p * log_s).sum() / z.shape[0])


def cross_entropy_vjp(inputs, cotangent, mean=True):
    z, p = inputs["z"], inputs["p"]
    scale = float(cotangent["y"]) / (z.shape[0] if mean else 1)
    return {"z": scale * (softmax(z) - p)}


def tanh(x):
    return np.tanh(x)


def tanh_vjp(inputs, cotangent, square=True):
    t = np.tanh(inputs["x"])
    return {"x": (1 - (t * t if square else t)) * cotangent["y"]}


def tanh_jvp(inputs, tangent):
    t = np.tanh(inputs["x"])
    return {"y": (1 - t * t) * tangent["x"]}


def _normalise(x):
    mean = x.mean(axis=-1, keepdims=True)
    inv = 1 / np.sqrt(((x - mean) ** 2).mean(axis=-1, keepdims=True) + LAYER_NORM_EPS)
    return (x - mean) * inv, inv


def layer_norm(x, gamma, beta):
    xhat, _ = _normalise(x)
    return gamma * xhat + beta


def layer_norm_vjp(inputs, cotangent, variance_term=True):
    x, gamma = inputs["x"], inputs["gamma"]
    y = cotangent["y"]
    xhat, inv = _normalise(x)
    g = y * gamma
    dx = g - g.mean(axis=-1, keepdims=True)
    if variance_term:
        dx = dx - xhat * (g * xhat).mean(axis=-1, keepdims=True)
    return {"x": dx * inv, "gamma": (y * xhat).sum(axis=0), "beta": y.sum(axis=0)}


def conv1d(x, w, b):
    """y[o, i] = b[o] + sum_c sum_k w[o, c, k] x[c, i + k]: x (C_in, L), w (C_out, C_in, K)."""
    taps = w.shape[2]
    out_length = x.shape[1] - taps + 1
    windows = np.stack([x[:, k:k + out_length] for k in range(taps)], axis=-1)  # (C_in, L_out, K)
    return np.einsum("ock,cik->oi", w, windows) + b[:, None]


def conv1d_vjp(inputs, cotangent, taps_in_dx=None):
    x, w = inputs["x"], inputs["w"]
    y = cotangent["y"]
    taps = w.shape[2]
    out_length = x.shape[1] - taps + 1
    windows = np.stack([x[:, k:k + out_length] for k in range(taps)], axis=-1)
    dx = np.zeros_like(x)
    for k in range(taps if taps_in_dx is None else taps_in_dx(taps)):
        dx[:, k:k + out_length] += np.einsum("oc,oi->ci", w[:, :, k], y)
    return {"x": dx, "w": np.einsum("oi,cik->ock", y, windows), "b": y.sum(axis=1)}


def buggy_conv1d_vjp(inputs, cotangent):
    return conv1d_vjp(inputs, cotangent, taps_in_dx=lambda taps: taps - 1)


def functions(Function, buggy=False):
    """The five layers as gradcheck_worker Functions, with the buggy rules when `buggy`."""
    return [
        Function("softmax", softmax, vjp=lambda i, c: softmax_vjp(i, c, coupled=not buggy),
                 inputs={"z": ["B", "C"]}, dims={"B": (1, 3), "C": (2, 5)}),
        Function("softmax-cross-entropy", cross_entropy, vjp=lambda i, c: cross_entropy_vjp(i, c, mean=not buggy),
                 inputs={"z": ["B", "C"], "p": {"shape": ["B", "C"], "differentiable": False, "values": "probabilities"}},
                 dims={"B": (2, 4), "C": (2, 5)}),
        Function("tanh", tanh, vjp=lambda i, c: tanh_vjp(i, c, square=not buggy), jvp=tanh_jvp,
                 inputs={"x": ["N"]}, dims={"N": (1, 6)}),
        Function("layer-norm", layer_norm, vjp=lambda i, c: layer_norm_vjp(i, c, variance_term=not buggy),
                 inputs={"x": ["B", "D"], "gamma": ["D"], "beta": ["D"]}, dims={"B": (1, 3), "D": (2, 6)}),
        Function("conv1d", conv1d, vjp=buggy_conv1d_vjp if buggy else conv1d_vjp,
                 inputs={"x": ["C", "L"], "w": ["O", "C", "K"], "b": ["O"]},
                 dims={"C": (1, 2), "L": (4, 8), "O": (1, 2), "K": (2, 3)}),
    ]
