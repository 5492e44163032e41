"""Custom torch code, correct and with planted bugs: the examples of docs/pytorch.md, and what python/tests check."""

import torch
from torch import nn


class Tanh(torch.autograd.Function):
    """tanh with its textbook backward 1 − y²."""

    @staticmethod
    def forward(ctx, x):
        y = torch.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (1 - y * y)


class TanhForwardAD(torch.autograd.Function):
    """tanh with a backward and a jvp (torch 1.13's forward-mode convention: ctx saved in forward)."""

    @staticmethod
    def forward(ctx, x):
        y = torch.tanh(x)
        ctx.save_for_backward(y)
        ctx.y = y
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (1 - y * y)

    @staticmethod
    def jvp(ctx, tangent):
        return tangent * (1 - ctx.y * ctx.y)


class BuggyTanh(torch.autograd.Function):
    """The planted bug: the backward is 1% too large."""

    @staticmethod
    def forward(ctx, x):
        y = torch.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (1 - y * y) * 1.01


class MulAdd(torch.autograd.Function):
    """y = a·b + c, element-wise, three inputs."""

    @staticmethod
    def forward(ctx, a, b, c):
        ctx.save_for_backward(a, b)
        return a * b + c

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad * b, grad * a, grad


class BuggyMulAdd(MulAdd):
    """The planted bug: ∂/∂b returns b instead of a (a swapped operand)."""

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad * b, grad * b, grad


class LeakySigmoid(torch.autograd.Function):
    """A custom sigmoid for a module; correct backward σ(1 − σ)."""

    @staticmethod
    def forward(ctx, z):
        s = torch.sigmoid(z)
        ctx.save_for_backward(s)
        return s

    @staticmethod
    def backward(ctx, grad):
        (s,) = ctx.saved_tensors
        return grad * s * (1 - s)


class ForgetfulSigmoid(LeakySigmoid):
    """The planted bug: the activation's derivative is missing (the upstream gradient passes through)."""

    @staticmethod
    def backward(ctx, grad):
        return grad


class CustomMLP(nn.Module):
    """Linear → sigmoid (a custom Function's apply, or any function) → Linear, the activation applied in forward()."""

    def __init__(self, sigmoid=LeakySigmoid.apply, dtype=torch.float64, sizes=(3, 4, 2)):
        super().__init__()
        self.hidden = nn.Linear(sizes[0], sizes[1]).to(dtype)
        self.out = nn.Linear(sizes[1], sizes[2]).to(dtype)
        self.sigmoid = sigmoid

    def forward(self, x):
        return self.out(self.sigmoid(self.hidden(x)))
